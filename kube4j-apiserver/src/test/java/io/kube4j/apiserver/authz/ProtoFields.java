package io.kube4j.apiserver.authz;

import java.nio.charset.StandardCharsets;

/**
 * Reads one string field out of a Kubernetes protobuf body by field-number path (kubectl sends review requests
 * as protobuf). Enough for the test server; the API server has its own full codec.
 */
final class ProtoFields {

    private ProtoFields() {
    }

    /** The string at {@code path} inside the object wrapped by the runtime.Unknown envelope, or "". */
    static String string(byte[] body, int... path) {
        byte[] message = field(body, 4, body.length, 2);
        if (message == null) {
            return "";
        }
        int start = 0;
        int end = message.length;
        byte[] current = message;
        for (int number : path) {
            current = field(current, start, end, number);
            if (current == null) {
                return "";
            }
            start = 0;
            end = current.length;
        }
        return new String(current, StandardCharsets.UTF_8);
    }

    private static byte[] field(byte[] data, int start, int end, int wanted) {
        int[] pos = {start};
        while (pos[0] < end) {
            long tag = varint(data, pos);
            int number = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (wire) {
                case 0 -> varint(data, pos);
                case 1 -> pos[0] += 8;
                case 5 -> pos[0] += 4;
                case 2 -> {
                    int length = (int) varint(data, pos);
                    if (number == wanted) {
                        byte[] value = new byte[length];
                        System.arraycopy(data, pos[0], value, 0, length);
                        return value;
                    }
                    pos[0] += length;
                }
                default -> {
                    return null;
                }
            }
        }
        return null;
    }

    private static long varint(byte[] data, int[] pos) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = data[pos[0]++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        return value;
    }
}

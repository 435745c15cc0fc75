package io.kube4j.apiserver.protobuf;

/** Reads the protobuf wire format: tags, varints and length-delimited fields of one message. */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private final int end;

    ProtoReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    boolean hasMore() {
        return pos < end;
    }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new IllegalArgumentException("truncated varint");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("malformed varint");
    }

    /** The bytes of a length-delimited field, as a reader over them. */
    ProtoReader nested() {
        int length = length();
        ProtoReader nested = new ProtoReader(buf, pos, length);
        pos += length;
        return nested;
    }

    byte[] bytes() {
        int length = length();
        byte[] out = new byte[length];
        System.arraycopy(buf, pos, out, 0, length);
        pos += length;
        return out;
    }

    String string() {
        return new String(bytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether the next value (of the given wire type) is a zero or empty value, without consuming it. */
    boolean isZeroValue(int wireType) {
        if (wireType == VARINT || wireType == LENGTH_DELIMITED) {
            return pos < end && buf[pos] == 0;
        }
        return false;
    }

    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(length());
            case FIXED32 -> advance(4);
            default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
        }
    }

    private int length() {
        long length = varint();
        if (length < 0 || length > end - pos) {
            throw new IllegalArgumentException("length " + length + " beyond the message");
        }
        return (int) length;
    }

    private void advance(int n) {
        if (n > end - pos) {
            throw new IllegalArgumentException("truncated field");
        }
        pos += n;
    }
}

package io.kube4j.api.protobuf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The frame of every Kubernetes protobuf object: the 4 magic bytes {@code k8s\0} and a runtime.Unknown message
 * (typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding = 3, contentType = 4) whose raw field holds
 * the object's own message.
 */
record Envelope(String apiVersion, String kind, byte[] raw, String contentEncoding, String contentType) {

    static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

    static boolean hasMagic(byte[] bytes) {
        if (bytes == null || bytes.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    static Envelope parse(byte[] body) {
        if (!hasMagic(body)) {
            throw new ProtobufDecodeException("not a Kubernetes protobuf object: the body does not start with the "
                    + "magic bytes 'k8s\\0'");
        }
        try {
            CodedInputStream in = CodedInputStream.newInstance(body, MAGIC.length, body.length - MAGIC.length);
            String apiVersion = "";
            String kind = "";
            byte[] raw = new byte[0];
            String contentEncoding = "";
            String contentType = "";
            int tag;
            while ((tag = in.readTag()) != 0) {
                int number = WireFormat.getTagFieldNumber(tag);
                if (number >= 1 && number <= 4 && WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    throw new ProtobufDecodeException("malformed protobuf envelope: field " + number
                            + " has wire type " + WireFormat.getTagWireType(tag));
                }
                switch (number) {
                    case 1 -> {
                        int limit = in.pushLimit(in.readRawVarint32());
                        int t;
                        while ((t = in.readTag()) != 0) {
                            switch (WireFormat.getTagFieldNumber(t)) {
                                case 1 -> apiVersion = in.readString();
                                case 2 -> kind = in.readString();
                                default -> in.skipField(t);
                            }
                        }
                        in.popLimit(limit);
                    }
                    case 2 -> raw = in.readByteArray();
                    case 3 -> contentEncoding = in.readString();
                    case 4 -> contentType = in.readString();
                    default -> in.skipField(tag);
                }
            }
            return new Envelope(apiVersion, kind, raw, contentEncoding, contentType);
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufDecodeException("malformed protobuf envelope: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] write() {
        try {
            ByteArrayOutputStream typeMetaBytes = new ByteArrayOutputStream();
            CodedOutputStream typeMeta = CodedOutputStream.newInstance(typeMetaBytes);
            typeMeta.writeString(1, apiVersion);
            typeMeta.writeString(2, kind);
            typeMeta.flush();

            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 64);
            out.write(MAGIC);
            CodedOutputStream unknown = CodedOutputStream.newInstance(out);
            unknown.writeByteArray(1, typeMetaBytes.toByteArray());
            unknown.writeByteArray(2, raw);
            unknown.writeString(3, contentEncoding);
            unknown.writeString(4, contentType);
            unknown.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

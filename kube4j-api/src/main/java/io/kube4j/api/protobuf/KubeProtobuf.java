package io.kube4j.api.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' protobuf serialization ({@value #MEDIA_TYPE}) of the built-in types, translated to and from the
 * JSON trees the rest of kube4j works on. kubectl and client-go send typed objects this way.
 *
 * <p>Decoding produces what Go's encoding/json writes for the same object: apiVersion and kind from the
 * envelope, zero values of plain fields dropped, times as RFC 3339 strings, bytes as base64, quantities and
 * int-or-strings in their JSON form, raw extensions as embedded JSON.
 */
public final class KubeProtobuf {

    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private KubeProtobuf() {
    }

    /** True for {@value #MEDIA_TYPE} with any parameters (e.g. {@code ;stream=watch}), in any case. */
    public static boolean isProtobuf(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return mediaType.toLowerCase(Locale.ROOT).equals(MEDIA_TYPE);
    }

    /**
     * Decodes a request body ({@code k8s\0} + runtime.Unknown) into the object's JSON form.
     *
     * @throws ProtobufDecodeException on bad magic, an unknown kind or malformed bytes
     */
    public static ObjectNode decode(byte[] body) {
        Envelope envelope = Envelope.parse(body);
        if (!envelope.contentEncoding().isEmpty()) {
            throw new ProtobufDecodeException("unsupported protobuf content encoding " + envelope.contentEncoding());
        }
        KubeSchemas schemas = KubeSchemas.get();
        Descriptor type = schemas.find(envelope.apiVersion(), envelope.kind());
        if (type == null) {
            throw new ProtobufDecodeException("no protobuf schema for kind '" + envelope.kind() + "' in apiVersion '"
                    + envelope.apiVersion() + "'");
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("apiVersion", envelope.apiVersion());
        object.put("kind", envelope.kind());
        try {
            new ProtoDecoder(schemas).decodeInto(schemas.layout(type), envelope.raw(), object);
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufDecodeException("malformed protobuf " + envelope.kind() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return object;
    }

    /** True when {@link #encode} knows the message of this apiVersion and kind. */
    public static boolean canEncode(String apiVersion, String kind) {
        return KubeSchemas.get().find(apiVersion, kind) != null;
    }

    /**
     * Encodes a JSON object of a built-in type (apiVersion and kind set) as a {@value #MEDIA_TYPE} body.
     *
     * @throws IllegalArgumentException when no schema is known for the kind or a value does not fit its field
     */
    public static byte[] encode(ObjectNode object) {
        String apiVersion = text(object.get("apiVersion"));
        String kind = text(object.get("kind"));
        KubeSchemas schemas = KubeSchemas.get();
        Descriptor type = schemas.find(apiVersion, kind);
        if (type == null) {
            throw new IllegalArgumentException("no protobuf schema for kind '" + kind + "' in apiVersion '"
                    + apiVersion + "'");
        }
        try {
            byte[] raw = new ProtoEncoder(schemas).encodeObject(schemas.layout(type), object);
            return new Envelope(apiVersion, kind, raw, "", "").write();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "" : node.asString();
    }
}

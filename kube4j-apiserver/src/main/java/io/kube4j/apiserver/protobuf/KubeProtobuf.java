package io.kube4j.apiserver.protobuf;

import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.StatusReason;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Reads request bodies sent as {@code application/vnd.kubernetes.protobuf} (kubectl's typed clients do) into
 * the same JSON trees every other body becomes. The envelope is upstream's: the magic {@code k8s\0} and a
 * runtime.Unknown holding the type and the encoded object.
 */
public final class KubeProtobuf {

    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};
    /** Go's zero time.Time in Unix seconds: what an unset timestamp looks like on the wire. */
    private static final long GO_ZERO_TIME = -62135596800L;

    private KubeProtobuf() {
    }

    public static ObjectNode decode(byte[] body) {
        if (body.length < MAGIC.length || body[0] != 'k' || body[1] != '8' || body[2] != 's' || body[3] != 0) {
            throw StatusException.badRequest("the protobuf body does not start with the Kubernetes magic number");
        }
        try {
            ProtoReader unknown = new ProtoReader(body, MAGIC.length, body.length - MAGIC.length);
            String apiVersion = "";
            String kind = "";
            byte[] raw = null;
            while (unknown.hasMore()) {
                long tag = unknown.varint();
                int number = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (number == 1 && wire == ProtoReader.LENGTH_DELIMITED) {
                    ProtoReader typeMeta = unknown.nested();
                    while (typeMeta.hasMore()) {
                        long t = typeMeta.varint();
                        if (t >>> 3 == 1) {
                            apiVersion = typeMeta.string();
                        } else if (t >>> 3 == 2) {
                            kind = typeMeta.string();
                        } else {
                            typeMeta.skip((int) (t & 7));
                        }
                    }
                } else if (number == 2 && wire == ProtoReader.LENGTH_DELIMITED) {
                    raw = unknown.bytes();
                } else {
                    unknown.skip(wire);
                }
            }
            Message schema = Schemas.forKind(apiVersion, kind);
            if (schema == null || raw == null) {
                throw StatusException.unsupportedMediaType(MEDIA_TYPE, List.of("application/json", "application/yaml"));
            }
            ObjectNode obj = Json.object();
            obj.put("apiVersion", apiVersion);
            obj.put("kind", kind);
            readMessage(new ProtoReader(raw, 0, raw.length), schema, obj);
            return obj;
        } catch (IllegalArgumentException e) {
            throw StatusException.badRequest("the protobuf body could not be decoded: " + e.getMessage());
        }
    }

    private static void readMessage(ProtoReader reader, Message schema, ObjectNode out) {
        while (reader.hasMore()) {
            long tag = reader.varint();
            int number = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            Field field = schema.field(number);
            if (field == null && reader.isZeroValue(wire)) {
                // Go always writes its non-pointer fields; an unset one is a zero, the same as absent in JSON.
                reader.skip(wire);
                continue;
            }
            if (field == null) {
                // Dropping a field would silently lose what the client sent; refuse instead.
                throw new StatusException(StatusReason.UNSUPPORTED_MEDIA_TYPE, "the protobuf body has field " + number
                        + " of " + schema.name + ", which kube4j does not read from protobuf: send it as "
                        + "application/json", null);
            }
            readField(reader, wire, field, out);
        }
    }

    private static void readField(ProtoReader reader, int wire, Field field, ObjectNode out) {
        String name = field.name();
        switch (field.type()) {
            case STRING -> {
                String value = reader.string();
                if (field.repeated()) {
                    out.withArray(name).add(value);
                } else if (!value.isEmpty() || field.keepZero()) {
                    out.put(name, value);
                }
            }
            case BYTES -> out.put(name, Base64.getEncoder().encodeToString(reader.bytes()));
            case INT32, INT64 -> {
                if (wire != ProtoReader.VARINT) {
                    throw new IllegalArgumentException("field " + name + " is not a varint");
                }
                long value = reader.varint();
                long v = field.type() == Field.Type.INT32 ? (int) value : value;
                if (v != 0 || field.keepZero()) {
                    out.put(name, v);
                }
            }
            case BOOL -> {
                boolean value = reader.varint() != 0;
                if (value || field.keepZero()) {
                    out.put(name, value);
                }
            }
            case MESSAGE -> {
                ObjectNode nested = Json.object();
                readMessage(reader.nested(), field.message(), nested);
                if (field.repeated()) {
                    out.withArray(name).add(nested);
                } else {
                    out.set(name, nested);
                }
            }
            case STRING_MAP, BYTES_MAP, QUANTITY_MAP -> readMapEntry(reader.nested(), field.type(), out.withObject(name));
            case QUANTITY -> out.put(name, quantity(reader.nested()));
            case TIME -> {
                ProtoReader time = reader.nested();
                long seconds = 0;
                while (time.hasMore()) {
                    long t = time.varint();
                    if (t >>> 3 == 1) {
                        seconds = time.varint();
                    } else {
                        time.skip((int) (t & 7));
                    }
                }
                if (seconds > GO_ZERO_TIME) {
                    out.put(name, Instant.ofEpochSecond(seconds).toString());
                }
            }
            case INT_OR_STRING -> {
                ProtoReader ios = reader.nested();
                long type = 0;
                long intVal = 0;
                String strVal = "";
                while (ios.hasMore()) {
                    long t = ios.varint();
                    switch ((int) (t >>> 3)) {
                        case 1 -> type = ios.varint();
                        case 2 -> intVal = (int) ios.varint();
                        case 3 -> strVal = ios.string();
                        default -> ios.skip((int) (t & 7));
                    }
                }
                if (type == 1) {
                    out.put(name, strVal);
                } else {
                    out.put(name, intVal);
                }
            }
            default -> throw new IllegalArgumentException("unknown field type " + field.type());
        }
    }

    private static void readMapEntry(ProtoReader entry, Field.Type type, ObjectNode map) {
        String key = "";
        String value = "";
        while (entry.hasMore()) {
            long t = entry.varint();
            int number = (int) (t >>> 3);
            if (number == 1) {
                key = entry.string();
            } else if (number == 2) {
                value = switch (type) {
                    case BYTES_MAP -> Base64.getEncoder().encodeToString(entry.bytes());
                    case QUANTITY_MAP -> quantity(entry.nested());
                    default -> entry.string();
                };
            } else {
                entry.skip((int) (t & 7));
            }
        }
        map.put(key, value);
    }

    private static String quantity(ProtoReader quantity) {
        String value = "";
        while (quantity.hasMore()) {
            long t = quantity.varint();
            if (t >>> 3 == 1) {
                value = quantity.string();
            } else {
                quantity.skip((int) (t & 7));
            }
        }
        return value;
    }
}

package io.kube4j.api.protobuf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the protobuf bytes of one Kubernetes message straight into the JSON tree Go's encoding/json would have
 * produced for the same object, walking the wire with {@link CodedInputStream} and the message descriptors.
 */
final class ProtoDecoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_DEPTH = 100;

    private final KubeSchemas schemas;

    ProtoDecoder(KubeSchemas schemas) {
        this.schemas = schemas;
    }

    /** Decodes a whole message (the raw bytes of the envelope) into {@code target}. */
    void decodeInto(MessageLayout layout, byte[] bytes, ObjectNode target) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        in.setRecursionLimit(MAX_DEPTH);
        readFields(layout, in, target, 0);
        if (!in.isAtEnd()) {
            throw new ProtobufDecodeException("trailing bytes after " + layout.type.getName());
        }
    }

    private void readFields(MessageLayout layout, CodedInputStream in, ObjectNode target, int depth)
            throws IOException {
        if (depth > MAX_DEPTH) {
            throw new ProtobufDecodeException("message nesting too deep");
        }
        int tag;
        while ((tag = in.readTag()) != 0) {
            MessageLayout.Field field = layout.field(WireFormat.getTagFieldNumber(tag));
            if (field == null) {
                in.skipField(tag);
                continue;
            }
            FieldDescriptor f = field.descriptor();
            int wireType = WireFormat.getTagWireType(tag);
            if (f.isMapField()) {
                expectWireType(field, wireType, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                readMapEntry(field, in, target.withObjectProperty(field.jsonName()), depth);
            } else if (f.isRepeated()) {
                ArrayNode array = target.withArrayProperty(field.jsonName());
                if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED && isPackable(f)) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    while (in.getBytesUntilLimit() > 0) {
                        array.add(readScalar(f, in));
                    }
                    in.popLimit(limit);
                } else {
                    expectWireType(field, wireType, expectedWireType(f));
                    JsonNode value = readValue(field, in, depth);
                    if (value != null) {
                        array.add(value);
                    }
                }
            } else if (field.inline()) {
                expectWireType(field, wireType, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                int limit = in.pushLimit(in.readRawVarint32());
                readFields(schemas.layout(f.getMessageType()), in, target, depth + 1);
                in.popLimit(limit);
            } else {
                expectWireType(field, wireType, expectedWireType(f));
                JsonNode value = readValue(field, in, depth);
                if (value == null || (!field.keepZero() && isZero(value) && !field.isMessage())
                        || (!field.keepZero() && field.valueKind() == MessageKind.INT_OR_STRING
                        && isZero(value))) {
                    target.remove(field.jsonName());
                } else {
                    target.set(field.jsonName(), value);
                }
            }
        }
    }

    private void readMapEntry(MessageLayout.Field field, CodedInputStream in, ObjectNode map, int depth)
            throws IOException {
        FieldDescriptor keyField = field.descriptor().getMessageType().findFieldByNumber(1);
        FieldDescriptor valueField = field.descriptor().getMessageType().findFieldByNumber(2);
        MessageLayout entry = schemas.layout(field.descriptor().getMessageType());
        int limit = in.pushLimit(in.readRawVarint32());
        String key = "";
        JsonNode value = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int number = WireFormat.getTagFieldNumber(tag);
            if (number == 1) {
                key = readScalar(keyField, in).asString();
            } else if (number == 2) {
                value = readValue(entry.field(2), in, depth);
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(limit);
        map.set(key, value != null ? value : zeroOf(valueField));
    }

    /** A field value; null when it maps to no JSON value (a zero time, an empty raw extension). */
    private JsonNode readValue(MessageLayout.Field field, CodedInputStream in, int depth) throws IOException {
        FieldDescriptor f = field.descriptor();
        if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return readScalar(f, in);
        }
        int limit = in.pushLimit(in.readRawVarint32());
        JsonNode value = readMessage(schemas.layout(f.getMessageType()), in, depth + 1);
        if (in.getBytesUntilLimit() > 0) {
            throw new ProtobufDecodeException("malformed message in field " + f.getFullName());
        }
        in.popLimit(limit);
        return value;
    }

    /** Reads one message up to the current limit into its JSON form. */
    private JsonNode readMessage(MessageLayout layout, CodedInputStream in, int depth) throws IOException {
        switch (layout.kind) {
            case OBJECT: {
                ObjectNode object = NODES.objectNode();
                readFields(layout, in, object, depth);
                return object;
            }
            case TIME:
            case MICRO_TIME: {
                long seconds = 0;
                int nanos = 0;
                int tag;
                while ((tag = in.readTag()) != 0) {
                    switch (WireFormat.getTagFieldNumber(tag)) {
                        case 1 -> seconds = in.readInt64();
                        case 2 -> nanos = in.readInt32();
                        default -> in.skipField(tag);
                    }
                }
                if (seconds == 0 && nanos == 0) {
                    return null; // Go's zero time marshals as null
                }
                return NODES.stringNode(layout.kind == MessageKind.TIME
                        ? GoTime.time(seconds, nanos) : GoTime.microTime(seconds, nanos));
            }
            case DURATION:
                return NODES.stringNode(GoTime.duration(readSingleVarint(in)));
            case QUANTITY: {
                String text = readSingleString(in);
                return text.isEmpty() ? null : NODES.stringNode(text);
            }
            case INT_OR_STRING: {
                long type = 0;
                int intVal = 0;
                String strVal = "";
                int tag;
                while ((tag = in.readTag()) != 0) {
                    switch (WireFormat.getTagFieldNumber(tag)) {
                        case 1 -> type = in.readInt64();
                        case 2 -> intVal = in.readInt32();
                        case 3 -> strVal = in.readString();
                        default -> in.skipField(tag);
                    }
                }
                return type == 1 ? NODES.stringNode(strVal) : NODES.numberNode(intVal);
            }
            case RAW_EXTENSION:
            case FIELDS_V1:
            case JSON:
                return embeddedJson(readSingleBytes(in), layout);
            case STRING_LIST: {
                ArrayNode items = NODES.arrayNode();
                int tag;
                while ((tag = in.readTag()) != 0) {
                    if (WireFormat.getTagFieldNumber(tag) == 1) {
                        items.add(in.readString());
                    } else {
                        in.skipField(tag);
                    }
                }
                return items;
            }
            case SCHEMA_OR_ARRAY:
            case SCHEMA_OR_BOOL:
            case SCHEMA_OR_STRING_ARRAY: {
                ObjectNode raw = NODES.objectNode();
                readFields(layout, in, raw, depth);
                return schemaUnion(layout, raw);
            }
            default:
                throw new IllegalStateException(layout.kind.name());
        }
    }

    /** The JSON form of the JSONSchemaProps unions: the schema if set, else the array or boolean. */
    private static JsonNode schemaUnion(MessageLayout layout, ObjectNode raw) {
        JsonNode schema = raw.get(jsonNameOf(layout, "schema"));
        if (schema != null && schema.isObject()) {
            return schema;
        }
        switch (layout.kind) {
            case SCHEMA_OR_BOOL:
                return NODES.booleanNode(raw.path(jsonNameOf(layout, "allows")).asBoolean(false));
            case SCHEMA_OR_ARRAY: {
                JsonNode schemas = raw.get(jsonNameOf(layout, "jSONSchemas"));
                return schemas != null ? schemas : NODES.arrayNode();
            }
            default: {
                JsonNode property = raw.get(jsonNameOf(layout, "property"));
                return property != null ? property : NODES.arrayNode();
            }
        }
    }

    private static String jsonNameOf(MessageLayout layout, String protoName) {
        FieldDescriptor field = layout.type.findFieldByName(protoName);
        return field == null ? protoName : JsonRules.jsonName(field);
    }

    private JsonNode embeddedJson(byte[] raw, MessageLayout layout) throws IOException {
        if (raw.length == 0) {
            return null;
        }
        if (Envelope.hasMagic(raw)) {
            // A RawExtension may carry a nested protobuf object of its own.
            return KubeProtobuf.decode(raw);
        }
        try {
            return JSON.readTree(raw);
        } catch (JacksonException e) {
            throw new ProtobufDecodeException(layout.type.getName() + " does not hold JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static long readSingleVarint(CodedInputStream in) throws IOException {
        long value = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                value = in.readInt64();
            } else {
                in.skipField(tag);
            }
        }
        return value;
    }

    private static String readSingleString(CodedInputStream in) throws IOException {
        String value = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == 1
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                value = in.readString();
            } else {
                in.skipField(tag);
            }
        }
        return value;
    }

    private static byte[] readSingleBytes(CodedInputStream in) throws IOException {
        byte[] value = new byte[0];
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == 1
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                value = in.readByteArray();
            } else {
                in.skipField(tag);
            }
        }
        return value;
    }

    private static JsonNode readScalar(FieldDescriptor f, CodedInputStream in) throws IOException {
        switch (f.getType()) {
            case STRING:
                return NODES.stringNode(in.readString());
            case BYTES:
                return NODES.stringNode(Base64.getEncoder().encodeToString(in.readByteArray()));
            case BOOL:
                return NODES.booleanNode(in.readBool());
            case INT32:
                return NODES.numberNode(in.readInt32());
            case SINT32:
                return NODES.numberNode(in.readSInt32());
            case UINT32:
                return NODES.numberNode(Integer.toUnsignedLong(in.readUInt32()));
            case FIXED32:
                return NODES.numberNode(Integer.toUnsignedLong(in.readFixed32()));
            case SFIXED32:
                return NODES.numberNode(in.readSFixed32());
            case INT64:
                return integral(in.readInt64());
            case SINT64:
                return integral(in.readSInt64());
            case UINT64:
                return NODES.numberNode(in.readUInt64());
            case FIXED64:
                return NODES.numberNode(in.readFixed64());
            case SFIXED64:
                return integral(in.readSFixed64());
            case DOUBLE:
                return wholeOrDouble(in.readDouble());
            case FLOAT:
                return NODES.numberNode(in.readFloat());
            case ENUM:
                return NODES.numberNode(in.readEnum());
            default:
                throw new ProtobufDecodeException("unsupported field type " + f.getType() + " of " + f.getFullName());
        }
    }

    /** Small values as int nodes, the way a JSON parser reads them, so decoded trees compare equal. */
    private static JsonNode integral(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    private static JsonNode zeroOf(FieldDescriptor f) {
        switch (f.getJavaType()) {
            case STRING:
            case BYTE_STRING:
                return NODES.stringNode("");
            case BOOLEAN:
                return NODES.booleanNode(false);
            case MESSAGE:
                return MessageKind.of(f.getMessageType()) == MessageKind.OBJECT ? NODES.objectNode() : NODES.nullNode();
            default:
                return NODES.numberNode(0);
        }
    }

    private static boolean isZero(JsonNode value) {
        if (value.isString()) {
            return value.asString().isEmpty();
        }
        if (value.isNumber()) {
            return value.isIntegralNumber() ? value.longValue() == 0 : value.doubleValue() == 0;
        }
        if (value.isBoolean()) {
            return !value.booleanValue();
        }
        return false;
    }

    private static boolean isPackable(FieldDescriptor f) {
        return f.getJavaType() != FieldDescriptor.JavaType.STRING
                && f.getJavaType() != FieldDescriptor.JavaType.BYTE_STRING
                && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE;
    }

    private static int expectedWireType(FieldDescriptor f) {
        return f.getLiteType().getWireType();
    }

    private static void expectWireType(MessageLayout.Field field, int actual, int expected) {
        if (actual != expected) {
            throw new ProtobufDecodeException("field " + field.descriptor().getFullName() + " has wire type "
                    + actual + ", expected " + expected);
        }
    }

    /** Go's JSON writes a whole float64 without a fraction ({@code 0}, not {@code 0.0}); so do we. */
    private static JsonNode wholeOrDouble(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return NODES.numberNode((long) d);
        }
        return NODES.numberNode(d);
    }
}

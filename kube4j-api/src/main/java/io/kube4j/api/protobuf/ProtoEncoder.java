package io.kube4j.api.protobuf;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Writes a Kubernetes JSON object as the protobuf bytes of its message, fields in number order as Go does. */
final class ProtoEncoder {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KubeSchemas schemas;

    ProtoEncoder(KubeSchemas schemas) {
        this.schemas = schemas;
    }

    byte[] encodeObject(MessageLayout layout, JsonNode json) throws IOException {
        if (!json.isObject()) {
            throw new IllegalArgumentException(layout.type.getName() + " must be a JSON object, got "
                    + json.getNodeType());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (MessageLayout.Field field : layout.fields) {
            FieldDescriptor f = field.descriptor();
            int number = f.getNumber();
            if (field.inline()) {
                out.writeByteArray(number, encodeObject(schemas.layout(f.getMessageType()), json));
                continue;
            }
            JsonNode value = json.get(field.jsonName());
            if (value == null || value.isNull() || value.isMissingNode()) {
                continue;
            }
            if (f.isMapField()) {
                writeMap(field, value, out);
            } else if (f.isRepeated()) {
                if (!value.isArray()) {
                    throw new IllegalArgumentException(field.jsonName() + " must be a JSON array");
                }
                for (JsonNode element : value) {
                    writeValue(field, element, out);
                }
            } else {
                writeValue(field, value, out);
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    private void writeMap(MessageLayout.Field field, JsonNode value, CodedOutputStream out) throws IOException {
        if (!value.isObject()) {
            throw new IllegalArgumentException(field.jsonName() + " must be a JSON object");
        }
        MessageLayout entry = schemas.layout(field.descriptor().getMessageType());
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream entryOut = CodedOutputStream.newInstance(bytes);
            entryOut.writeString(1, e.getKey());
            if (!e.getValue().isNull()) {
                writeValue(entry.field(2), e.getValue(), entryOut);
            }
            entryOut.flush();
            out.writeByteArray(field.descriptor().getNumber(), bytes.toByteArray());
        }
    }

    private void writeValue(MessageLayout.Field field, JsonNode value, CodedOutputStream out) throws IOException {
        FieldDescriptor f = field.descriptor();
        int number = f.getNumber();
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            byte[] message = encodeMessage(schemas.layout(f.getMessageType()), value);
            if (message != null) {
                out.writeByteArray(number, message);
            }
            return;
        }
        switch (f.getType()) {
            case STRING -> out.writeString(number, value.asString());
            case BYTES -> out.writeByteArray(number, base64(field, value));
            case BOOL -> out.writeBool(number, value.asBoolean());
            case INT32 -> out.writeInt32(number, (int) integral(field, value));
            case SINT32 -> out.writeSInt32(number, (int) integral(field, value));
            case UINT32 -> out.writeUInt32(number, (int) integral(field, value));
            case INT64 -> out.writeInt64(number, integral(field, value));
            case SINT64 -> out.writeSInt64(number, integral(field, value));
            case UINT64 -> out.writeUInt64(number, integral(field, value));
            case DOUBLE -> out.writeDouble(number, value.asDouble());
            case FLOAT -> out.writeFloat(number, (float) value.asDouble());
            default -> throw new IllegalArgumentException("unsupported field type " + f.getType());
        }
    }

    /** The bytes of a message-typed value, or null when the JSON value stands for "unset". */
    private byte[] encodeMessage(MessageLayout layout, JsonNode value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        switch (layout.kind) {
            case OBJECT:
                return encodeObject(layout, value);
            case TIME:
            case MICRO_TIME: {
                Instant instant = GoTime.parseTime(value.asString());
                out.writeInt64(1, instant.getEpochSecond());
                out.writeInt32(2, layout.kind == MessageKind.TIME ? 0 : instant.getNano());
                break;
            }
            case DURATION:
                out.writeInt64(1, GoTime.parseDuration(value.asString()));
                break;
            case QUANTITY:
                out.writeString(1, value.asString());
                break;
            case INT_OR_STRING:
                if (value.isNumber()) {
                    out.writeInt64(1, 0);
                    out.writeInt32(2, value.asInt());
                    out.writeString(3, "");
                } else {
                    out.writeInt64(1, 1);
                    out.writeInt32(2, 0);
                    out.writeString(3, value.asString());
                }
                break;
            case RAW_EXTENSION:
            case FIELDS_V1:
            case JSON:
                out.writeByteArray(1, JSON.writeValueAsBytes(value));
                break;
            case STRING_LIST:
                for (JsonNode item : value) {
                    out.writeString(1, item.asString());
                }
                break;
            case SCHEMA_OR_ARRAY:
            case SCHEMA_OR_BOOL:
            case SCHEMA_OR_STRING_ARRAY:
                writeSchemaUnion(layout, value, out);
                break;
            default:
                throw new IllegalStateException(layout.kind.name());
        }
        out.flush();
        return bytes.toByteArray();
    }

    private void writeSchemaUnion(MessageLayout layout, JsonNode value, CodedOutputStream out) throws IOException {
        FieldDescriptor schema = layout.type.findFieldByName("schema");
        if (value.isObject()) {
            if (layout.kind == MessageKind.SCHEMA_OR_BOOL) {
                out.writeBool(layout.type.findFieldByName("allows").getNumber(), true);
            }
            out.writeByteArray(schema.getNumber(), encodeObject(schemas.layout(schema.getMessageType()), value));
        } else if (layout.kind == MessageKind.SCHEMA_OR_BOOL) {
            out.writeBool(layout.type.findFieldByName("allows").getNumber(), value.asBoolean());
        } else if (layout.kind == MessageKind.SCHEMA_OR_ARRAY) {
            FieldDescriptor list = layout.type.findFieldByName("jSONSchemas");
            for (JsonNode item : value) {
                out.writeByteArray(list.getNumber(), encodeObject(schemas.layout(list.getMessageType()), item));
            }
        } else {
            FieldDescriptor list = layout.type.findFieldByName("property");
            for (JsonNode item : value) {
                out.writeString(list.getNumber(), item.asString());
            }
        }
    }

    private static long integral(MessageLayout.Field field, JsonNode value) {
        if (value.isNumber() || (value.isString() && value.asString().matches("-?\\d+"))) {
            return value.asLong();
        }
        throw new IllegalArgumentException(field.jsonName() + " must be an integer, got " + value);
    }

    private static byte[] base64(MessageLayout.Field field, JsonNode value) {
        try {
            return Base64.getDecoder().decode(value.asString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field.jsonName() + " is not base64: " + e.getMessage(), e);
        }
    }
}

package io.kube4j.apiserver.discovery;

import com.google.protobuf.CodedOutputStream;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A Swagger 2.0 document as the protobuf message {@code openapi.v2.Document} of gnostic's {@code OpenAPIv2.proto},
 * which is what client-go's discovery client asks {@code /openapi/v2} for
 * ({@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}) and reads for {@code kubectl explain
 * --output=plaintext-openapiv2}, client-side validation and strategic merge patches where OpenAPI v3 is not used.
 * Field numbers are gnostic's; as gnostic, extension values ({@code x-...}), defaults, examples and enum values are
 * {@code Any} messages holding the value as YAML (written as JSON, which YAML reads). Keys gnostic would not accept
 * at a place are left out rather than failing the whole document.
 */
final class SwaggerProtobuf {

    private SwaggerProtobuf() {
    }

    static byte[] document(JsonNode doc) {
        Message m = new Message();
        m.string(1, doc.path("swagger"));
        m.message(2, doc.get("info"), SwaggerProtobuf::info);
        m.string(3, doc.path("host"));
        m.string(4, doc.path("basePath"));
        m.strings(5, doc.path("schemes"));
        m.strings(6, doc.path("consumes"));
        m.strings(7, doc.path("produces"));
        m.message(8, doc.get("paths"), SwaggerProtobuf::paths);
        m.message(9, doc.get("definitions"), d -> named(d, SwaggerProtobuf::schema));
        m.message(10, doc.get("parameters"), p -> named(p, SwaggerProtobuf::parameter));
        m.message(11, doc.get("responses"), r -> named(r, SwaggerProtobuf::response));
        m.messages(12, doc.path("security"), SwaggerProtobuf::securityRequirement);
        m.message(13, doc.get("securityDefinitions"), s -> named(s, SwaggerProtobuf::securityDefinition));
        m.messages(14, doc.path("tags"), SwaggerProtobuf::tag);
        m.message(15, doc.get("externalDocs"), SwaggerProtobuf::externalDocs);
        m.extensions(16, doc);
        return m.bytes();
    }

    private static byte[] info(JsonNode info) {
        Message m = new Message();
        m.string(1, info.path("title"));
        m.string(2, info.path("version"));
        m.string(3, info.path("description"));
        m.string(4, info.path("termsOfService"));
        m.message(5, info.get("contact"), c -> new Message().string(1, c.path("name")).string(2, c.path("url"))
                .string(3, c.path("email")).extensions(4, c).bytes());
        m.message(6, info.get("license"), l -> new Message().string(1, l.path("name")).string(2, l.path("url"))
                .extensions(3, l).bytes());
        m.extensions(7, info);
        return m.bytes();
    }

    /** {@code Paths}: extensions first (field 1), then each path (field 2) in document order. */
    private static byte[] paths(JsonNode paths) {
        Message m = new Message().extensions(1, paths);
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            if (!path.getKey().startsWith("x-")) {
                m.bytesField(2, namedValue(path.getKey(), pathItem(path.getValue())));
            }
        }
        return m.bytes();
    }

    private static byte[] pathItem(JsonNode item) {
        Message m = new Message();
        m.string(1, item.path("$ref"));
        String[] methods = {"get", "put", "post", "delete", "options", "head", "patch"};
        for (int i = 0; i < methods.length; i++) {
            m.message(2 + i, item.get(methods[i]), SwaggerProtobuf::operation);
        }
        m.messages(9, item.path("parameters"), SwaggerProtobuf::parametersItem);
        m.extensions(10, item);
        return m.bytes();
    }

    private static byte[] operation(JsonNode op) {
        Message m = new Message();
        m.strings(1, op.path("tags"));
        m.string(2, op.path("summary"));
        m.string(3, op.path("description"));
        m.message(4, op.get("externalDocs"), SwaggerProtobuf::externalDocs);
        m.string(5, op.path("operationId"));
        m.strings(6, op.path("produces"));
        m.strings(7, op.path("consumes"));
        m.messages(8, op.path("parameters"), SwaggerProtobuf::parametersItem);
        m.message(9, op.get("responses"), SwaggerProtobuf::responses);
        m.strings(10, op.path("schemes"));
        m.bool(11, op.path("deprecated"));
        m.messages(12, op.path("security"), SwaggerProtobuf::securityRequirement);
        m.extensions(13, op);
        return m.bytes();
    }

    /** {@code ParametersItem}: a parameter, or a JSON reference to one. */
    private static byte[] parametersItem(JsonNode p) {
        return p.has("$ref") ? new Message().message(2, p, SwaggerProtobuf::jsonReference).bytes()
                : new Message().message(1, p, SwaggerProtobuf::parameter).bytes();
    }

    /** {@code Parameter}: a body parameter, or one of the four kinds of the others by where it goes. */
    private static byte[] parameter(JsonNode p) {
        String in = p.path("in").asString("");
        if (in.equals("body")) {
            return new Message().message(1, p, body -> new Message().string(1, body.path("description"))
                    .string(2, body.path("name")).string(3, body.path("in")).bool(4, body.path("required"))
                    .message(5, body.get("schema"), SwaggerProtobuf::schema).extensions(6, body).bytes()).bytes();
        }
        int kind = switch (in) {
            case "header" -> 1;
            case "formData" -> 2;
            case "query" -> 3;
            default -> 4; // path
        };
        boolean allowEmpty = kind == 2 || kind == 3; // only these have allowEmptyValue, shifting what follows
        return new Message().message(2, p, nonBody -> new Message().message(kind, nonBody,
                sub -> parameterSubSchema(sub, allowEmpty)).bytes()).bytes();
    }

    private static byte[] parameterSubSchema(JsonNode p, boolean allowEmpty) {
        Message m = new Message();
        m.bool(1, p.path("required"));
        m.string(2, p.path("in"));
        m.string(3, p.path("description"));
        m.string(4, p.path("name"));
        if (allowEmpty) {
            m.bool(5, p.path("allowEmptyValue"));
        }
        primitive(m, p, allowEmpty ? 6 : 5);
        return m.bytes();
    }

    /** The fields parameters and {@code PrimitivesItems} share, numbered from {@code base} (type) on. */
    private static void primitive(Message m, JsonNode p, int base) {
        m.string(base, p.path("type"));
        m.string(base + 1, p.path("format"));
        m.message(base + 2, p.get("items"), items -> {
            Message nested = new Message();
            primitive(nested, items, 1);
            return nested.bytes();
        });
        m.string(base + 3, p.path("collectionFormat"));
        m.any(base + 4, p.get("default"));
        m.dbl(base + 5, p.path("maximum"));
        m.bool(base + 6, p.path("exclusiveMaximum"));
        m.dbl(base + 7, p.path("minimum"));
        m.bool(base + 8, p.path("exclusiveMinimum"));
        m.int64(base + 9, p.path("maxLength"));
        m.int64(base + 10, p.path("minLength"));
        m.string(base + 11, p.path("pattern"));
        m.int64(base + 12, p.path("maxItems"));
        m.int64(base + 13, p.path("minItems"));
        m.bool(base + 14, p.path("uniqueItems"));
        for (JsonNode value : p.path("enum")) {
            m.any(base + 15, value);
        }
        m.dbl(base + 16, p.path("multipleOf"));
        m.extensions(base + 17, p);
    }

    private static byte[] responses(JsonNode responses) {
        Message m = new Message();
        for (Map.Entry<String, JsonNode> code : responses.properties()) {
            if (!code.getKey().startsWith("x-")) {
                JsonNode r = code.getValue();
                byte[] value = r.has("$ref") ? new Message().message(2, r, SwaggerProtobuf::jsonReference).bytes()
                        : new Message().message(1, r, SwaggerProtobuf::response).bytes();
                m.bytesField(1, namedValue(code.getKey(), value));
            }
        }
        m.extensions(2, responses);
        return m.bytes();
    }

    private static byte[] response(JsonNode r) {
        Message m = new Message();
        m.string(1, r.path("description"));
        m.message(2, r.get("schema"), s -> new Message().message(1, s, SwaggerProtobuf::schema).bytes());
        m.extensions(5, r);
        return m.bytes();
    }

    private static byte[] schema(JsonNode s) {
        Message m = new Message();
        m.string(1, s.path("$ref"));
        m.string(2, s.path("format"));
        m.string(3, s.path("title"));
        m.string(4, s.path("description"));
        m.any(5, s.get("default"));
        m.dbl(6, s.path("multipleOf"));
        m.dbl(7, s.path("maximum"));
        m.bool(8, s.path("exclusiveMaximum"));
        m.dbl(9, s.path("minimum"));
        m.bool(10, s.path("exclusiveMinimum"));
        m.int64(11, s.path("maxLength"));
        m.int64(12, s.path("minLength"));
        m.string(13, s.path("pattern"));
        m.int64(14, s.path("maxItems"));
        m.int64(15, s.path("minItems"));
        m.bool(16, s.path("uniqueItems"));
        m.int64(17, s.path("maxProperties"));
        m.int64(18, s.path("minProperties"));
        m.strings(19, s.path("required"));
        for (JsonNode value : s.path("enum")) {
            m.any(20, value);
        }
        JsonNode additional = s.get("additionalProperties");
        if (additional != null && additional.isBoolean()) {
            m.message(21, additional, b -> new Message().boolAlways(2, b.asBoolean()).bytes());
        } else if (additional != null && additional.isObject()) {
            m.message(21, additional, a -> new Message().message(1, a, SwaggerProtobuf::schema).bytes());
        }
        JsonNode type = s.path("type");
        if (type.isString() || type.isArray()) { // TypeItem: one type, or several
            m.bytesField(22, new Message().strings(1, type.isArray() ? type
                    : Json.MAPPER.createArrayNode().add(type.asString())).bytes());
        }
        JsonNode items = s.path("items");
        if (items.isObject() || items.isArray()) { // ItemsItem: one schema, or one per position
            m.bytesField(23, new Message().messages(1, items.isArray() ? items
                    : Json.MAPPER.createArrayNode().add(items), SwaggerProtobuf::schema).bytes());
        }
        m.messages(24, s.path("allOf"), SwaggerProtobuf::schema);
        m.message(25, s.get("properties"), p -> named(p, SwaggerProtobuf::schema));
        m.string(26, s.path("discriminator"));
        m.bool(27, s.path("readOnly"));
        m.message(29, s.get("externalDocs"), SwaggerProtobuf::externalDocs);
        m.any(30, s.get("example"));
        m.extensions(31, s);
        return m.bytes();
    }

    private static byte[] securityDefinition(JsonNode d) {
        String type = d.path("type").asString("");
        if (type.equals("basic")) {
            return new Message().message(1, d, b -> new Message().string(1, b.path("type"))
                    .string(2, b.path("description")).extensions(3, b).bytes()).bytes();
        }
        if (type.equals("apiKey")) {
            return new Message().message(2, d, k -> new Message().string(1, k.path("type")).string(2, k.path("name"))
                    .string(3, k.path("in")).string(4, k.path("description")).extensions(5, k).bytes()).bytes();
        }
        return new Message().bytes(); // OAuth2 flows: none of kube4j's documents have them
    }

    /** {@code SecurityRequirement}: scheme name to scopes. */
    private static byte[] securityRequirement(JsonNode requirement) {
        Message m = new Message();
        for (Map.Entry<String, JsonNode> scheme : requirement.properties()) {
            m.bytesField(1, namedValue(scheme.getKey(), new Message().strings(1, scheme.getValue()).bytes()));
        }
        return m.bytes();
    }

    private static byte[] tag(JsonNode tag) {
        return new Message().string(1, tag.path("name")).string(2, tag.path("description"))
                .message(3, tag.get("externalDocs"), SwaggerProtobuf::externalDocs).extensions(4, tag).bytes();
    }

    private static byte[] externalDocs(JsonNode docs) {
        return new Message().string(1, docs.path("description")).string(2, docs.path("url"))
                .extensions(3, docs).bytes();
    }

    private static byte[] jsonReference(JsonNode ref) {
        return new Message().string(1, ref.path("$ref")).string(2, ref.path("description")).bytes();
    }

    /** A map of the document as gnostic's {@code Named...} pairs: field 1 holds one message per entry. */
    private static byte[] named(JsonNode map, Encoder values) {
        Message m = new Message();
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            m.bytesField(1, namedValue(entry.getKey(), values.encode(entry.getValue())));
        }
        return m.bytes();
    }

    /** {@code Named...}: name (1), value (2). */
    private static byte[] namedValue(String name, byte[] value) {
        Message m = new Message();
        m.stringAlways(1, name);
        m.bytesField(2, value);
        return m.bytes();
    }

    @FunctionalInterface
    private interface Encoder {
        byte[] encode(JsonNode node);
    }

    /** One message being written: proto3, so zero values (empty strings, false, 0) are left out as Go does. */
    private static final class Message {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        /** A small buffer: most messages are a few fields, and the default 4 KiB each added up to 100+ MB. */
        private final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 64);

        Message string(int field, JsonNode value) {
            return value.isString() ? stringIfSet(field, value.asString()) : this;
        }

        private Message stringIfSet(int field, String value) {
            return value.isEmpty() ? this : stringAlways(field, value);
        }

        Message stringAlways(int field, String value) {
            try {
                out.writeString(field, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** A repeated string: a JSON array of strings (anything else in it is not a string gnostic accepts). */
        Message strings(int field, JsonNode array) {
            for (JsonNode value : array) {
                if (value.isString()) {
                    stringAlways(field, value.asString());
                }
            }
            return this;
        }

        Message bool(int field, JsonNode value) {
            return value.isBoolean() && value.asBoolean() ? boolAlways(field, true) : this;
        }

        Message boolAlways(int field, boolean value) {
            try {
                out.writeBool(field, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Message int64(int field, JsonNode value) {
            if (value.isNumber() && value.asLong() != 0) {
                try {
                    out.writeInt64(field, value.asLong());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return this;
        }

        Message dbl(int field, JsonNode value) {
            if (value.isNumber() && value.asDouble() != 0) {
                try {
                    out.writeDouble(field, value.asDouble());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return this;
        }

        /** An embedded message, written whenever the JSON has the key (an empty one still says "present"). */
        Message message(int field, JsonNode value, Encoder encoder) {
            if (value != null && value.isObject()) {
                bytesField(field, encoder.encode(value));
            }
            return this;
        }

        /** A repeated message, one per object of a JSON array. */
        Message messages(int field, JsonNode array, Encoder encoder) {
            for (JsonNode value : array) {
                message(field, value, encoder);
            }
            return this;
        }

        /** {@code Any}: the value as YAML in field 2. */
        Message any(int field, JsonNode value) {
            if (value != null && !value.isMissingNode()) {
                bytesField(field, new Message().stringAlways(2, Json.MAPPER.writeValueAsString(value)).bytes());
            }
            return this;
        }

        /** The {@code x-} keys of an object as {@code NamedAny} messages. */
        Message extensions(int field, JsonNode object) {
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                if (entry.getKey().startsWith("x-")) {
                    bytesField(field, namedValue(entry.getKey(),
                            new Message().stringAlways(2, Json.MAPPER.writeValueAsString(entry.getValue())).bytes()));
                }
            }
            return this;
        }

        Message bytesField(int field, byte[] value) {
            try {
                out.writeByteArray(field, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        byte[] bytes() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }
}

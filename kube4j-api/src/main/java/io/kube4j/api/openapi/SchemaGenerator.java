package io.kube4j.api.openapi;

import io.kube4j.api.apply.ListTypes.ListType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns fabric8 model classes into OpenAPI schema definitions named as upstream's. Definitions are written in the
 * Swagger 2.0 form ({@code $ref} to {@code #/definitions/...}, extensions beside the {@code $ref});
 * {@link V3Schemas} rewrites them for OpenAPI v3. Definitions and properties carry upstream's descriptions where the
 * build had them ({@link UpstreamDescriptions}).
 */
final class SchemaGenerator {

    static final String REF = "#/definitions/";
    static final String GVK = "x-kubernetes-group-version-kind";
    static final String PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final PatchExtensions patches;
    private final UpstreamDescriptions descriptions;
    private final Map<String, ObjectNode> definitions = new TreeMap<>();
    private final Map<String, Set<String>> gvks = new TreeMap<>();

    SchemaGenerator(PatchExtensions patches, UpstreamDescriptions descriptions) {
        this.patches = patches;
        this.descriptions = descriptions;
    }

    /** Defines {@code type} and every type it reaches; returns its definition name. */
    String define(Class<?> type) {
        String name = ModelTypes.definitionName(type);
        if (!definitions.containsKey(name)) {
            ObjectNode definition = NODES.objectNode();
            definitions.put(name, definition); // before the properties: the type may reach itself
            describe(type, name, definition);
        }
        return name;
    }

    /** Marks a definition as the schema of a kind ({@code x-kubernetes-group-version-kind}). */
    void addKind(String definition, String group, String version, String kind) {
        gvks.computeIfAbsent(definition, d -> new TreeSet<>()).add(group + "\n" + version + "\n" + kind);
    }

    /** Every definition, by name, with its group-version-kinds attached. */
    Map<String, ObjectNode> definitions() {
        gvks.forEach((name, entries) -> {
            ObjectNode definition = definitions.get(name);
            if (definition == null) {
                return;
            }
            String description = KindDescriptions.of(entries.iterator().next().split("\n", -1)[2]);
            if (description != null && !definition.has("description") && entries.size() == 1) {
                definition.put("description", description);
            }
            ArrayNode array = definition.putArray(GVK);
            for (String entry : entries) {
                String[] gvk = entry.split("\n", -1);
                ObjectNode node = array.addObject();
                node.put("group", gvk[0]);
                node.put("kind", gvk[2]);
                node.put("version", gvk[1]);
            }
        });
        return definitions;
    }

    private void describe(Class<?> type, String name, ObjectNode definition) {
        String description = descriptions.definition(name);
        if (description != null) {
            definition.put("description", description); // first, where upstream's documents have it
        }
        switch (name) {
            case ModelTypes.INT_OR_STRING -> {
                // upstream's v2 shape (IntOrString's OpenAPISchemaType and OpenAPISchemaFormat): a string whose
                // format says an integer is accepted too; V3Schemas gives v3 its oneOf instead of the type
                definition.put("format", "int-or-string");
                definition.put("type", "string");
                return;
            }
            case ModelTypes.QUANTITY -> {
                definition.put("type", "string");
                return;
            }
            case ModelTypes.MICRO_TIME, ModelTypes.TIME -> {
                definition.put("type", "string");
                definition.put("format", "date-time");
                return;
            }
            case ModelTypes.RAW_EXTENSION -> {
                definition.put("type", "object");
                definition.put(PRESERVE_UNKNOWN, true);
                return;
            }
            default -> {
            }
        }
        if (hasOwnSerializer(type)) {
            // JSONSchemaPropsOrBool and friends: a value of one of several JSON shapes
            definition.put(PRESERVE_UNKNOWN, true);
            return;
        }
        definition.put("type", "object");
        List<ModelProperties.Property> properties = ModelProperties.of(type);
        if (!properties.isEmpty()) {
            ObjectNode props = definition.putObject("properties");
            for (ModelProperties.Property property : properties) {
                ObjectNode schema = schema(property.type(), property.name());
                String text = descriptions.field(name, property.name());
                if (text != null) {
                    // beside a $ref too, as upstream's v2 document; V3Schemas wraps such a reference in allOf
                    schema.put("description", text);
                }
                addPatchExtensions(schema, patches.lookup(type, property.name()));
                props.set(property.name(), schema);
            }
            Set<String> names = properties.stream().map(ModelProperties.Property::name).collect(Collectors.toSet());
            List<String> required = KnownFields.required(name, names);
            if (!required.isEmpty()) {
                ArrayNode array = definition.putArray("required");
                required.forEach(array::add);
            }
        }
        if (KnownFields.isAtomicStruct(name)) {
            definition.put("x-kubernetes-map-type", "atomic");
        }
    }

    private ObjectNode schema(Type type, String property) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw) || Set.class.isAssignableFrom(raw)) {
                ObjectNode array = NODES.objectNode().put("type", "array");
                array.set("items", schema(args[0], null));
                return array;
            }
            if (Map.class.isAssignableFrom(raw)) {
                ObjectNode map = NODES.objectNode().put("type", "object");
                map.set("additionalProperties", schema(args[1], null));
                return map;
            }
            return schema(raw, property);
        }
        if (!(type instanceof Class<?> c)) {
            return anything();
        }
        if (c == String.class) {
            return property != null && KnownFields.isTime(property) ? ref(ModelTypes.TIME)
                    : NODES.objectNode().put("type", "string");
        }
        if (c == Integer.class || c == int.class || c == Short.class || c == short.class) {
            return NODES.objectNode().put("type", "integer").put("format", "int32");
        }
        if (c == Long.class || c == long.class) {
            return NODES.objectNode().put("type", "integer").put("format", "int64");
        }
        if (c == Boolean.class || c == boolean.class) {
            return NODES.objectNode().put("type", "boolean");
        }
        if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
            return NODES.objectNode().put("type", "number").put("format", "double");
        }
        if (c.isEnum()) {
            return NODES.objectNode().put("type", "string");
        }
        if (Temporal.class.isAssignableFrom(c)) {
            return ref(ModelTypes.MICRO_TIME);
        }
        if (c == Object.class) {
            return ref(ModelTypes.RAW_EXTENSION);
        }
        if (JsonNode.class.isAssignableFrom(c)) {
            return ref(ModelTypes.JSON);
        }
        if (ModelProperties.isModel(c)) {
            return NODES.objectNode().put("$ref", REF + define(c));
        }
        return anything();
    }

    /** A reference to a definition that has no Java class of its own (Time, JSON, ...). */
    private ObjectNode ref(String name) {
        if (!definitions.containsKey(name)) {
            ObjectNode definition = NODES.objectNode();
            definitions.put(name, definition);
            if (name.equals(ModelTypes.JSON)) {
                String description = descriptions.definition(name);
                if (description != null) {
                    definition.put("description", description);
                }
                definition.put(PRESERVE_UNKNOWN, true);
            } else {
                describe(Object.class, name, definition);
            }
        }
        return NODES.objectNode().put("$ref", REF + name);
    }

    private static ObjectNode anything() {
        return NODES.objectNode().put("type", "object").put(PRESERVE_UNKNOWN, true);
    }

    private static boolean hasOwnSerializer(Class<?> type) {
        JsonSerialize serialize = type.getAnnotation(JsonSerialize.class);
        return serialize != null && serialize.using() != ValueSerializer.None.class;
    }

    private static void addPatchExtensions(ObjectNode schema, PatchExtensions.FieldMeta meta) {
        if (meta == null) {
            return;
        }
        if (meta.listType() != null) {
            ListType listType = meta.listType();
            if (listType.kind() == ListType.Kind.MAP) {
                ArrayNode keys = schema.putArray("x-kubernetes-list-map-keys");
                listType.keys().forEach(keys::add);
            }
            schema.put("x-kubernetes-list-type", listType.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!meta.patch().mergeKey().isEmpty()) {
            schema.put("x-kubernetes-patch-merge-key", meta.patch().mergeKey());
        }
        if (!meta.patch().patchStrategy().isEmpty()) {
            schema.put("x-kubernetes-patch-strategy", meta.patch().patchStrategy());
        }
    }
}

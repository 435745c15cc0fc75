package io.kube4j.api.apply;

import io.kube4j.api.patch.BuiltinPatchSchema;
import io.kube4j.api.patch.PatchMeta;
import io.kube4j.api.patch.PatchSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * The parts of a kind's schema server-side apply needs: how each list is merged ({@code x-kubernetes-list-type}:
 * atomic, set, or map with its keys and the defaults of those keys) and which objects are atomic
 * ({@code x-kubernetes-map-type: atomic}, a struct marked {@code +structType=atomic}). Paths are field names from the
 * root; list levels are not counted (the items of {@code spec.containers} are at {@code [spec, containers]}).
 */
public interface ListTypes {

    /** A list's type and, for maps, its key fields and the server defaults of keys a client may omit. */
    record ListType(Kind kind, List<String> keys, Map<String, JsonNode> keyDefaults) {
        public enum Kind { ATOMIC, SET, MAP }

        public static final ListType ATOMIC = new ListType(Kind.ATOMIC, List.of());
        public static final ListType SET = new ListType(Kind.SET, List.of());

        public ListType {
            keys = List.copyOf(keys);
            keyDefaults = Map.copyOf(keyDefaults);
        }

        public ListType(Kind kind, List<String> keys) {
            this(kind, keys, Map.of());
        }

        public static ListType map(String... keys) {
            return new ListType(Kind.MAP, List.of(keys));
        }

        /** This map type with {@code key} defaulting to {@code value} when an item omits it. */
        public ListType withDefault(String key, JsonNode value) {
            Map<String, JsonNode> d = new LinkedHashMap<>(keyDefaults);
            d.put(key, value);
            return new ListType(kind, keys, d);
        }
    }

    /** Lists of nothing but atomic values and granular objects: what a schema-less object gets. */
    ListTypes DEDUCED = path -> ObjectMetaTypes.listType(path);

    ListType listType(List<String> fieldPath);

    /**
     * Whether the object at {@code fieldPath} (for a list path: each of its items) is atomic: owned and replaced
     * whole rather than field by field.
     */
    default boolean isAtomicObject(List<String> fieldPath) {
        return ObjectMetaTypes.isAtomicObject(fieldPath);
    }

    /**
     * The types of a built-in kind, derived from its strategic merge metadata (a merge list with a merge key is a
     * map, without one a set, anything else atomic), with the keys and atomic structs upstream declares on top.
     */
    static ListTypes builtin(PatchSchema schema, String group, String kind) {
        return new BuiltinListTypes(schema, group, kind);
    }

    /** The built-in types for an object's own {@code apiVersion} and {@code kind}. */
    static ListTypes forObject(JsonNode object) {
        String apiVersion = object == null ? "" : object.path("apiVersion").asString("");
        String kind = object == null ? "" : object.path("kind").asString("");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        BuiltinPatchSchema schema = BuiltinPatchSchema.instance();
        return schema.supports(group, kind) ? builtin(schema, group, kind) : DEDUCED;
    }

    /**
     * The types an OpenAPI v3 schema declares (a CustomResourceDefinition's {@code openAPIV3Schema}); lists without
     * {@code x-kubernetes-list-type} are atomic, as upstream treats them. Metadata follows ObjectMeta.
     */
    static ListTypes fromOpenApi(JsonNode openApiV3Schema) {
        return new OpenApiListTypes(openApiV3Schema);
    }

    /** The ObjectMeta part every kind shares. */
    final class ObjectMetaTypes {
        private ObjectMetaTypes() {
        }

        static ListType listType(List<String> path) {
            if (path.size() == 2 && path.get(0).equals("metadata")) {
                if (path.get(1).equals("finalizers")) {
                    return ListType.SET;
                }
                if (path.get(1).equals("ownerReferences")) {
                    return ListType.map("uid");
                }
            }
            return ListType.ATOMIC;
        }

        static boolean isAtomicObject(List<String> path) {
            return path.equals(List.of("metadata", "ownerReferences"));
        }
    }

    /** See {@link #builtin}. */
    final class BuiltinListTypes implements ListTypes {
        private static final JsonNode TCP = StringNode.valueOf("TCP");
        // list types are immutable: made once rather than on each of the many lookups of every write
        private static final ListType CONTAINER_PORTS = ListType.map("containerPort", "protocol")
                .withDefault("protocol", TCP);
        private static final ListType SERVICE_PORTS = ListType.map("port", "protocol").withDefault("protocol", TCP);
        private static final ListType TOPOLOGY_SPREAD = ListType.map("topologyKey", "whenUnsatisfiable");
        /**
         * status.conditions whose upstream {@code +listType} the patch tags do not give, by "group/kind": maps keyed
         * by type that carry no patch strategy (a strategic merge patch replaces them), and Job's, atomic although
         * tagged to merge by type.
         */
        private static final Map<String, ListType> STATUS_CONDITIONS = Map.of(
                "certificates.k8s.io/CertificateSigningRequest", ListType.map("type"),
                "apiextensions.k8s.io/CustomResourceDefinition", ListType.map("type"),
                "batch/Job", ListType.ATOMIC);
        private static final java.util.concurrent.ConcurrentHashMap<String, ListType> BY_MERGE_KEY =
                new java.util.concurrent.ConcurrentHashMap<>();
        private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers",
                "ephemeralContainers");
        // Fields holding a LabelSelector, ObjectReference, LocalObjectReference, key selectors or an atomic map:
        // all marked +structType=atomic or +mapType=atomic upstream, wherever they appear in built-in kinds.
        private static final List<String> ATOMIC_FIELDS = List.of("selector", "labelSelector", "namespaceSelector",
                "podSelector", "nodeSelector", "objectSelector", "configMapKeyRef", "secretKeyRef", "fieldRef",
                "resourceFieldRef", "targetRef", "involvedObject", "related", "regarding", "claimRef", "dataSource",
                "dataSourceRef", "roleRef", "imagePullSecrets", "ownerReferences", "scopeSelector");

        private final PatchSchema schema;
        private final String group;
        private final String kind;
        /** This kind's entry of {@link #STATUS_CONDITIONS}, or null. */
        private final ListType statusConditions;

        BuiltinListTypes(PatchSchema schema, String group, String kind) {
            this.schema = schema;
            this.group = group;
            this.kind = kind;
            this.statusConditions = STATUS_CONDITIONS.get(group + "/" + kind);
        }

        @Override
        public ListType listType(List<String> path) {
            int n = path.size();
            String last = n == 0 ? "" : path.get(n - 1);
            if (n >= 2 && last.equals("ports") && CONTAINER_LISTS.contains(path.get(n - 2))) {
                return CONTAINER_PORTS;
            }
            if (n == 2 && group.isEmpty() && kind.equals("Service") && path.get(0).equals("spec")
                    && last.equals("ports")) {
                return SERVICE_PORTS;
            }
            if (last.equals("topologySpreadConstraints")) {
                return TOPOLOGY_SPREAD;
            }
            if (statusConditions != null && n == 2 && last.equals("conditions") && path.get(0).equals("status")) {
                return statusConditions;
            }
            PatchMeta meta = schema.lookup(group, kind, path);
            if (!meta.isMerge()) {
                return ListType.ATOMIC;
            }
            // merge keys are a few dozen field names in all
            return meta.mergeKey().isEmpty() ? ListType.SET : BY_MERGE_KEY.computeIfAbsent(meta.mergeKey(),
                    key -> ListType.map(key));
        }

        @Override
        public boolean isAtomicObject(List<String> path) {
            int n = path.size();
            if (n == 0) {
                return false;
            }
            String last = path.get(n - 1);
            if (ATOMIC_FIELDS.contains(last)) {
                return true;
            }
            if (n >= 2 && last.equals("requiredDuringSchedulingIgnoredDuringExecution")
                    && path.get(n - 2).equals("nodeAffinity")) {
                return true;
            }
            return n == 1 && last.equals("target") && group.isEmpty() && kind.equals("Binding");
        }
    }

    /** See {@link #fromOpenApi}. */
    final class OpenApiListTypes implements ListTypes {
        private final JsonNode root;

        OpenApiListTypes(JsonNode root) {
            this.root = root;
        }

        /** The schema of the value at {@code path} (of the items, for a list), or null when it is not declared. */
        private JsonNode schemaAt(List<String> path) {
            JsonNode node = root;
            for (String name : path) {
                node = itemsOf(node);
                if (node == null) {
                    return null;
                }
                JsonNode next = node.path("properties").get(name);
                if (next == null) {
                    next = node.get("additionalProperties");
                }
                if (next == null || !next.isObject()) {
                    return null;
                }
                node = next;
            }
            return node;
        }

        private static JsonNode itemsOf(JsonNode node) {
            while (node != null && node.path("type").asString("").equals("array")) {
                node = node.get("items");
            }
            return node;
        }

        @Override
        public ListType listType(List<String> path) {
            if (!path.isEmpty() && path.get(0).equals("metadata")) {
                return ObjectMetaTypes.listType(path);
            }
            JsonNode s = schemaAt(path);
            if (s == null) {
                return ListType.ATOMIC;
            }
            switch (s.path("x-kubernetes-list-type").asString("atomic")) {
                case "set":
                    return ListType.SET;
                case "map": {
                    List<String> keys = new java.util.ArrayList<>();
                    for (JsonNode k : s.path("x-kubernetes-list-map-keys")) {
                        keys.add(k.asString());
                    }
                    ListType t = new ListType(ListType.Kind.MAP, keys);
                    JsonNode props = s.path("items").path("properties");
                    for (String k : keys) {
                        JsonNode d = props.path(k).get("default");
                        if (d != null) {
                            t = t.withDefault(k, d);
                        }
                    }
                    return t;
                }
                default:
                    return ListType.ATOMIC;
            }
        }

        @Override
        public boolean isAtomicObject(List<String> path) {
            if (!path.isEmpty() && path.get(0).equals("metadata")) {
                return ObjectMetaTypes.isAtomicObject(path);
            }
            JsonNode s = itemsOf(schemaAt(path));
            return s != null && (s.path("x-kubernetes-map-type").asString("").equals("atomic")
                    || s.path("x-kubernetes-map-type").asString("").isEmpty()
                    && s.path("x-kubernetes-struct-type").asString("").equals("atomic"));
        }
    }
}

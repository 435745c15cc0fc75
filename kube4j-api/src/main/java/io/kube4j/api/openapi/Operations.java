package io.kube4j.api.openapi;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.resource.Subresource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The paths and operations upstream documents for a served resource: the collection (list, create,
 * deletecollection), the item (read, replace, patch, delete), the list across namespaces, subresources, and the
 * deprecated {@code /watch/} paths, with upstream's operation ids ({@code patchCoreV1NamespacedPod}).
 */
final class Operations {

    static final String STATUS = ModelTypes.META + "Status";
    static final String DELETE_OPTIONS = ModelTypes.META + "DeleteOptions";
    static final String WATCH_EVENT = ModelTypes.META + "WatchEvent";
    static final String PATCH = ModelTypes.META + "Patch";

    /** Resolves a kind to its definition name; null when there is no schema for it. */
    private final Function<Operation.Kind, String> definitions;

    Operations(Function<Operation.Kind, String> definitions) {
        this.definitions = definitions;
    }

    /** The path items of one resource, empty if its kind has no schema. */
    List<PathItem> paths(ResourceType type) {
        Operation.Kind kind = new Operation.Kind(type.group(), type.version(), type.kind());
        String definition = definitions.apply(kind);
        if (definition == null) {
            return List.of();
        }
        String list = definitions.apply(new Operation.Kind(type.group(), type.version(), type.kind() + "List"));
        String prefix = verbPrefix(type.group(), type.version());
        String base = (type.group().isEmpty() ? "/api/" : "/apis/" + type.group() + "/") + type.version();
        String scope = type.namespaced() ? "/namespaces/{namespace}" : "";
        String namespaced = type.namespaced() ? "Namespaced" : "";
        String k = type.kind();
        String description = type.kind();
        List<Parameter> scopeParams = type.namespaced() ? List.of(Parameter.NAMESPACE) : List.of();
        List<PathItem> items = new ArrayList<>();

        List<Operation> collection = new ArrayList<>();
        if (type.supports("list") && list != null) {
            collection.add(op("get", "list" + prefix + namespaced + k, "list or watch objects of kind " + description,
                    "list", kind, Parameter.LIST, null, false, ok(list), true));
        }
        if (type.supports("create")) {
            collection.add(op("post", "create" + prefix + namespaced + k, "create a " + description, "post", kind,
                    Parameter.WRITE, definition, true, created(definition), false));
        }
        if (type.supports("deletecollection")) {
            collection.add(op("delete", "delete" + prefix + "Collection" + namespaced + k,
                    "delete collection of " + description, "deletecollection", kind, Parameter.DELETE_COLLECTION,
                    DELETE_OPTIONS, false, ok(STATUS), false));
        }
        String collectionPath = base + scope + "/" + type.plural();
        add(items, collectionPath, params(scopeParams, List.of(Parameter.PRETTY)), collection);

        List<Operation> item = new ArrayList<>();
        if (type.supports("get")) {
            item.add(op("get", "read" + prefix + namespaced + k, "read the specified " + description, "get", kind,
                    List.of(), null, false, ok(definition), false));
        }
        if (type.supports("update")) {
            item.add(op("put", "replace" + prefix + namespaced + k, "replace the specified " + description, "put",
                    kind, Parameter.WRITE, definition, true, replaced(definition), false));
        }
        if (type.supports("patch")) {
            item.add(op("patch", "patch" + prefix + namespaced + k, "partially update the specified " + description,
                    "patch", kind, Parameter.PATCH, PATCH, true, replaced(definition), false));
        }
        if (type.supports("delete")) {
            item.add(op("delete", "delete" + prefix + namespaced + k, "delete " + description, "delete", kind,
                    Parameter.DELETE, DELETE_OPTIONS, false, accepted(STATUS), false));
        }
        String itemPath = collectionPath + "/{name}";
        add(items, itemPath, params(List.of(Parameter.name(k)), scopeParams, List.of(Parameter.PRETTY)), item);

        if (type.namespaced() && type.supports("list") && list != null) {
            add(items, base + "/" + type.plural(), params(Parameter.LIST, List.of(Parameter.PRETTY)),
                    List.of(op("get", "list" + prefix + k + "ForAllNamespaces",
                            "list or watch objects of kind " + description, "list", kind, List.of(), null, false,
                            ok(list), true)));
        }
        for (Subresource subresource : type.subresources()) {
            subresource(items, type, subresource, itemPath, prefix + namespaced + k, scopeParams, definition);
        }
        if (type.supports("watch")) {
            watchPaths(items, type, base, prefix, namespaced, kind, scopeParams);
        }
        return items;
    }

    private void subresource(List<PathItem> items, ResourceType type, Subresource subresource, String itemPath,
                             String idStem, List<Parameter> scopeParams, String parentDefinition) {
        Operation.Kind kind = subresource.sameKindAsParent()
                ? new Operation.Kind(type.group(), type.version(), type.kind())
                : new Operation.Kind(subresource.group(), subresource.version(), subresource.kind());
        String definition = subresource.sameKindAsParent() ? parentDefinition : definitions.apply(kind);
        if (definition == null) {
            return;
        }
        String suffix = capitalize(subresource.name());
        String what = subresource.name() + " of the specified " + type.kind();
        List<Operation> operations = new ArrayList<>();
        if (subresource.verbs().contains("get")) {
            operations.add(op("get", "read" + idStem + suffix, "read " + what, "get", kind, List.of(), null, false,
                    ok(definition), false));
        }
        if (subresource.verbs().contains("create")) {
            operations.add(op("post", "create" + idStem + suffix, "create " + subresource.name() + " of a "
                    + type.kind(), "post", kind, Parameter.WRITE, definition, true, created(definition), false));
        }
        if (subresource.verbs().contains("update")) {
            operations.add(op("put", "replace" + idStem + suffix, "replace " + what, "put", kind, Parameter.WRITE,
                    definition, true, replaced(definition), false));
        }
        if (subresource.verbs().contains("patch")) {
            operations.add(op("patch", "patch" + idStem + suffix, "partially update " + what, "patch", kind,
                    Parameter.PATCH, PATCH, true, replaced(definition), false));
        }
        add(items, itemPath + "/" + subresource.name(),
                params(List.of(Parameter.name(kind.kind())), scopeParams, List.of(Parameter.PRETTY)), operations);
    }

    private void watchPaths(List<PathItem> items, ResourceType type, String base, String prefix, String namespaced,
                            Operation.Kind kind, List<Parameter> scopeParams) {
        String k = type.kind();
        String scope = type.namespaced() ? "/namespaces/{namespace}" : "";
        String note = ". deprecated: use the 'watch' parameter with a list operation instead.";
        add(items, base + "/watch" + scope + "/" + type.plural(),
                params(Parameter.LIST, scopeParams, List.of(Parameter.PRETTY)),
                List.of(op("get", "watch" + prefix + namespaced + k + "List",
                        "watch individual changes to a list of " + k + note, "watchlist", kind, List.of(), null,
                        false, ok(WATCH_EVENT), true)));
        add(items, base + "/watch" + scope + "/" + type.plural() + "/{name}",
                params(Parameter.LIST, List.of(Parameter.name(k)), scopeParams, List.of(Parameter.PRETTY)),
                List.of(op("get", "watch" + prefix + namespaced + k,
                        "watch changes to an object of kind " + k + note, "watch", kind, List.of(), null, false,
                        ok(WATCH_EVENT), true)));
        if (type.namespaced()) {
            add(items, base + "/watch/" + type.plural(), params(Parameter.LIST, List.of(Parameter.PRETTY)),
                    List.of(op("get", "watch" + prefix + k + "ListForAllNamespaces",
                            "watch individual changes to a list of " + k + note, "watchlist", kind, List.of(), null,
                            false, ok(WATCH_EVENT), true)));
        }
    }

    /** {@code CoreV1}, {@code AppsV1}, {@code RbacAuthorizationV1}: the group-version part of operation ids. */
    static String verbPrefix(String group, String version) {
        return groupWord(group, true) + capitalize(version);
    }

    /** {@code core_v1}, {@code rbacAuthorization_v1}: upstream's operation tags. */
    static String tag(String group, String version) {
        return groupWord(group, false) + "_" + version;
    }

    private static String groupWord(String group, boolean capitalFirst) {
        if (group.isEmpty()) {
            return capitalFirst ? "Core" : "core";
        }
        String trimmed = group.endsWith(".k8s.io") ? group.substring(0, group.length() - ".k8s.io".length()) : group;
        StringBuilder word = new StringBuilder();
        for (String part : trimmed.split("\\.")) {
            word.append(word.isEmpty() && !capitalFirst ? part : capitalize(part));
        }
        return word.toString();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static void add(List<PathItem> items, String path, List<Parameter> parameters,
                            List<Operation> operations) {
        if (!operations.isEmpty()) {
            items.add(new PathItem(path, parameters, List.copyOf(operations)));
        }
    }

    @SafeVarargs
    private static List<Parameter> params(List<Parameter>... groups) {
        List<Parameter> all = new ArrayList<>();
        for (List<Parameter> group : groups) {
            all.addAll(group);
        }
        return all;
    }

    private static Operation op(String method, String id, String description, String action, Operation.Kind kind,
                                List<Parameter> parameters, String body, boolean bodyRequired,
                                Map<String, String> responses, boolean streaming) {
        return new Operation(method, id, description, action, kind, parameters, body, bodyRequired, responses,
                streaming);
    }

    private static Map<String, String> ok(String definition) {
        Map<String, String> responses = new LinkedHashMap<>();
        responses.put("200", definition);
        responses.put("401", null);
        return responses;
    }

    private static Map<String, String> replaced(String definition) {
        Map<String, String> responses = new LinkedHashMap<>();
        responses.put("200", definition);
        responses.put("201", definition);
        responses.put("401", null);
        return responses;
    }

    private static Map<String, String> created(String definition) {
        Map<String, String> responses = new LinkedHashMap<>();
        responses.put("200", definition);
        responses.put("201", definition);
        responses.put("202", definition);
        responses.put("401", null);
        return responses;
    }

    private static Map<String, String> accepted(String definition) {
        Map<String, String> responses = new LinkedHashMap<>();
        responses.put("200", definition);
        responses.put("202", definition);
        responses.put("401", null);
        return responses;
    }
}

package io.kube4j.api.openapi;

import io.kube4j.api.apply.ListTypes;
import io.kube4j.api.apply.ListTypes.ListType;
import io.kube4j.api.patch.PatchMeta;
import io.kube4j.api.patch.PatchSchema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code x-kubernetes-patch-*} and {@code x-kubernetes-list-*} extensions of each property, taken from the same
 * patch schema and list types the server merges and applies with, so that kubectl computes the patches the server
 * expects. The patch schema answers by field path from a kind's root; definitions are shared between kinds, so each
 * kind's class tree is walked and the answers are pinned on the class that declares the field.
 */
final class PatchExtensions {

    /** Deep enough for the longest tagged path: CronJob spec.jobTemplate.spec.template.spec.containers.ports. */
    private static final int MAX_DEPTH = 9;

    /** The extensions of one property. */
    record FieldMeta(PatchMeta patch, ListType listType) {
    }

    private final PatchSchema schema;
    private final Map<Class<?>, Map<String, FieldMeta>> fields = new HashMap<>();

    PatchExtensions(PatchSchema schema) {
        this.schema = schema;
    }

    /** Walks a kind's class tree once. */
    void addKind(String group, String kind, Class<?> type) {
        if (!schema.supports(group, kind)) {
            return;
        }
        ListTypes listTypes = ListTypes.builtin(schema, group, kind);
        walk(group, kind, listTypes, type, new ArrayList<>(), new HashSet<>());
    }

    /** The extensions of {@code property} of {@code type}; null when it has none. */
    FieldMeta lookup(Class<?> type, String property) {
        Map<String, FieldMeta> byName = fields.get(type);
        return byName == null ? null : byName.get(property);
    }

    private void walk(String group, String kind, ListTypes listTypes, Class<?> type, List<String> path,
                      Set<Class<?>> onPath) {
        if (path.size() >= MAX_DEPTH || !onPath.add(type)) {
            return;
        }
        for (ModelProperties.Property property : ModelProperties.of(type)) {
            path.add(property.name());
            PatchMeta meta = schema.lookup(group, kind, path);
            ListType listType = property.isList() ? listTypes.listType(path) : null;
            if (listType != null && listType.kind() == ListType.Kind.ATOMIC) {
                listType = null;
            }
            if (!meta.patchStrategy().isEmpty() || listType != null) {
                fields.computeIfAbsent(type, t -> new HashMap<>())
                        .putIfAbsent(property.name(), new FieldMeta(meta, listType));
            }
            Class<?> element = property.elementClass();
            if (ModelProperties.isModel(element)) {
                walk(group, kind, listTypes, element, path, onPath);
            }
            path.remove(path.size() - 1);
        }
        onPath.remove(type);
    }
}

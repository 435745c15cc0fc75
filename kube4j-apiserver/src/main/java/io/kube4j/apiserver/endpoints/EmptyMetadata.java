package io.kube4j.apiserver.endpoints;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Drops the empty maps and lists of an object's metadata that upstream never keeps: it decodes every body into
 * ObjectMeta, whose labels, annotations, finalizers and ownerReferences are {@code omitempty}, so
 * {@code annotations: {}} (which kubectl diff and apply send) is stored and shown as no annotations at all.
 * managedFields is left alone: an empty list there asks for them to be reset.
 */
final class EmptyMetadata {

    private static final List<String> OMIT_EMPTY = List.of("labels", "annotations", "finalizers", "ownerReferences");

    private EmptyMetadata() {
    }

    static ObjectNode drop(ObjectNode obj) {
        if (obj.get("metadata") instanceof ObjectNode metadata) {
            for (String field : OMIT_EMPTY) {
                JsonNode value = metadata.get(field);
                if (value != null && (value.isNull() || (value.isContainer() && value.isEmpty()))) {
                    metadata.remove(field);
                }
            }
        }
        return obj;
    }
}

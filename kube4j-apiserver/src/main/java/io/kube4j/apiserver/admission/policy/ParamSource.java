package io.kube4j.apiserver.admission.policy;

import io.kube4j.api.selector.LabelSelector;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/** Where bindings' params are read: the objects of a policy's {@code paramKind}, as upstream's param informers. */
public interface ParamSource {

    /** The served resource of {@code apiVersion}/{@code kind}, or empty when no such kind is served. */
    Optional<Params> resource(String apiVersion, String kind);

    /** The objects of one param kind. */
    interface Params {

        boolean namespaced();

        /** {@code namespace} is null for a cluster-scoped kind. */
        Optional<ObjectNode> get(String namespace, String name);

        /** The objects {@code selector} selects, in {@code namespace} (null: cluster scope). */
        List<ObjectNode> list(String namespace, LabelSelector selector);
    }
}

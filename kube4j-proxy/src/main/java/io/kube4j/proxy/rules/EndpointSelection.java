package io.kube4j.proxy.rules;

import io.kube4j.proxy.model.Endpoint;

import java.util.List;
import java.util.function.Predicate;

/**
 * Which endpoints receive traffic, as upstream's CategorizeEndpoints: ready endpoints; when there are none,
 * endpoints that are still serving while terminating, so that a rolling update does not drop connections.
 */
public record EndpointSelection(List<Endpoint> cluster, List<Endpoint> local) {

    public static EndpointSelection of(List<Endpoint> all, String nodeName) {
        return new EndpointSelection(usable(all, e -> true), usable(all, e -> e.isLocal(nodeName)));
    }

    private static List<Endpoint> usable(List<Endpoint> all, Predicate<Endpoint> scope) {
        List<Endpoint> ready = all.stream().filter(scope).filter(Endpoint::ready).toList();
        if (!ready.isEmpty()) {
            return ready;
        }
        return all.stream().filter(scope).filter(e -> e.serving() && e.terminating()).toList();
    }
}

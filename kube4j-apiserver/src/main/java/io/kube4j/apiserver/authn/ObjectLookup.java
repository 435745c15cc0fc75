package io.kube4j.apiserver.authn;

import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * Read access to stored objects for the security components, by plural resource name in its group
 * ({@code serviceaccounts}, {@code pods}, {@code secrets}, {@code nodes}, {@code limitranges}, ...). The API
 * server backs it with its registries / watch caches; the components never write through it.
 */
public interface ObjectLookup {

    /** The object, or empty when it does not exist. {@code namespace} is null for cluster-scoped resources. */
    Optional<ObjectNode> get(String resource, String namespace, String name);

    /**
     * The object as upstream's listers read it, from a cache that may not have seen a write of a moment ago: empty
     * does not prove it does not exist (a caller that must know reads {@link #get} after a miss, as upstream's
     * admission plugins do a live GET after a lister miss). By default the same as {@link #get}.
     */
    default Optional<ObjectNode> getCached(String resource, String namespace, String name) {
        return get(resource, namespace, name);
    }

    /**
     * What upstream's admission plugins do: a lister (cache) read, and a live read only after a miss, so an object
     * written a moment ago is still found while the common case costs no store read.
     */
    default Optional<ObjectNode> getCachedThenLive(String resource, String namespace, String name) {
        Optional<ObjectNode> cached = getCached(resource, namespace, name);
        return cached.isPresent() ? cached : get(resource, namespace, name);
    }

    /** Every object of {@code resource} in {@code namespace} (null: all namespaces / cluster scope). */
    List<ObjectNode> list(String resource, String namespace);

    /**
     * Like {@link #list} but as of now: a retry after a write conflict must not read the same stale copies again
     * ({@link #list} may come from a cache that trails the store by a few milliseconds).
     */
    default List<ObjectNode> listLatest(String resource, String namespace) {
        return list(resource, namespace);
    }
}

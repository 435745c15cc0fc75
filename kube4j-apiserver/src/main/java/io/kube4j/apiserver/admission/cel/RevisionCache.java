package io.kube4j.apiserver.admission.cel;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What is compiled from an admission object (a policy, a webhook configuration), compiled once: by uid and
 * resourceVersion, so a changed object (or a new one of the same name) is compiled again, and a deleted one's entry
 * goes when the objects are next listed without it.
 */
public class RevisionCache<T> {

    private record Entry<T>(String resourceVersion, T compiled) {
    }

    private final ConcurrentHashMap<String, Entry<T>> byUid = new ConcurrentHashMap<>();
    private final Function<ObjectNode, T> compiler;

    public RevisionCache(Function<ObjectNode, T> compiler) {
        this.compiler = compiler;
    }

    public T get(ObjectNode object) {
        String uid = String.valueOf(Json.text(object, "metadata", "uid"));
        String resourceVersion = String.valueOf(Json.text(object, "metadata", "resourceVersion"));
        Entry<T> entry = byUid.get(uid);
        if (entry == null || !entry.resourceVersion().equals(resourceVersion)) {
            entry = new Entry<>(resourceVersion, compiler.apply(object));
            byUid.put(uid, entry);
        }
        return entry.compiled();
    }

    /** Forgets the objects whose uid is not in {@code uids}. */
    public void retain(Set<String> uids) {
        byUid.keySet().retainAll(uids);
    }

    int size() {
        return byUid.size();
    }
}

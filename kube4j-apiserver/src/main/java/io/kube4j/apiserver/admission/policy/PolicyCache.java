package io.kube4j.apiserver.admission.policy;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each policy compiled once: by uid and resourceVersion, so a changed policy (or a new one of the same name) is
 * compiled again, and a deleted one's entry goes when the policies are next listed without it.
 */
final class PolicyCache {

    private record Entry(String resourceVersion, CompiledPolicy compiled) {
    }

    private final ConcurrentHashMap<String, Entry> byUid = new ConcurrentHashMap<>();

    CompiledPolicy get(ObjectNode policy) {
        String uid = String.valueOf(Json.text(policy, "metadata", "uid"));
        String resourceVersion = String.valueOf(Json.text(policy, "metadata", "resourceVersion"));
        Entry entry = byUid.get(uid);
        if (entry == null || !entry.resourceVersion().equals(resourceVersion)) {
            entry = new Entry(resourceVersion, PolicyCompiler.compile(policy));
            byUid.put(uid, entry);
        }
        return entry.compiled();
    }

    /** Forgets the policies whose uid is not in {@code uids}. */
    void retain(Set<String> uids) {
        byUid.keySet().retainAll(uids);
    }

    int size() {
        return byUid.size();
    }
}

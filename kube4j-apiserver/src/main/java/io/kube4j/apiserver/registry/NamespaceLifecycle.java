package io.kube4j.apiserver.registry;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import io.kube4j.store.KeyValue;
import io.kube4j.store.Store;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Namespace lifecycle: creation only into existing, active namespaces; deletion marks the namespace
 * Terminating. Emptying it and removing the {@code kubernetes} finalizer (through {@link #finalize}) is the
 * namespace controller's job, as upstream: without a controller manager a deleted namespace stays Terminating.
 */
public final class NamespaceLifecycle implements NamespaceGuard {

    public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public",
            "kube-node-lease");

    /** Beyond this many namespaces the verdict cache starts over rather than grow without bound. */
    private static final int MAX_CACHED_VERDICTS = 10_000;

    private final Store store;
    /**
     * Whether each namespace is terminating, by the version of it that was decoded: every create checks its
     * namespace, and decoding the namespace object each time was a measurable part of a create's cost.
     */
    private final ConcurrentHashMap<String, Verdict> verdicts = new ConcurrentHashMap<>();

    private record Verdict(long modRevision, boolean terminating) {
    }

    NamespaceLifecycle(Store store) {
        this.store = store;
    }

    @Override
    public void checkCanCreate(String namespace, ResourceType type, String name) {
        var kv = store.get("/registry/namespaces/" + namespace);
        if (kv.isEmpty()) {
            verdicts.remove(namespace);
            throw StatusException.notFound("", "namespaces", namespace);
        }
        if (terminating(namespace, kv.get())) {
            throw StatusException.forbidden(type.group(), type.plural(), name, "unable to create new content in "
                    + "namespace " + namespace + " because it is being terminated");
        }
    }

    /** Decoded only when this version of the namespace (its mod revision) was not seen before. */
    private boolean terminating(String namespace, KeyValue kv) {
        Verdict verdict = verdicts.get(namespace);
        if (verdict != null && verdict.modRevision() == kv.modRevision()) {
            return verdict.terminating();
        }
        ObjectNode ns = ObjectCodec.decode(kv.value(), kv.modRevision());
        boolean terminating = "Terminating".equals(Json.text(ns, "status", "phase"))
                || ns.path("metadata").has("deletionTimestamp");
        if (verdicts.size() >= MAX_CACHED_VERDICTS) {
            verdicts.clear();
        }
        verdicts.put(namespace, new Verdict(kv.modRevision(), terminating));
        return terminating;
    }

    /** Deletes a namespace as upstream does: marks it Terminating and finalizes it once empty. */
    public GenericRegistry.Deletion delete(GenericRegistry namespaces, String name, DeleteOptions options,
                                           boolean dryRun) {
        if (SYSTEM_NAMESPACES.contains(name) && !name.equals("kube-node-lease")) {
            throw StatusException.forbidden("", "namespaces", name, "this namespace may not be deleted");
        }
        ObjectNode marked = namespaces.systemUpdate(null, name, dryRun, current -> {
            ObjectNode copy = current.deepCopy();
            checkPreconditions(copy, options, name);
            ObjectNode metadata = Json.metadata(copy);
            if (!metadata.has("deletionTimestamp")) {
                metadata.put("deletionTimestamp", namespaces.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString());
                metadata.put("deletionGracePeriodSeconds", 0);
            }
            Json.child(copy, "status").put("phase", "Terminating");
            return copy;
        });
        return new GenericRegistry.Deletion(marked, false);
    }

    /**
     * The finalize subresource: replaces spec.finalizers (the namespace controller removes {@code kubernetes}
     * once the namespace is empty); a terminating namespace with no finalizers left is deleted.
     */
    public ObjectNode finalize(GenericRegistry namespaces, String name, ObjectNode body, boolean dryRun) {
        JsonNode finalizers = body.path("spec").path("finalizers");
        ObjectNode updated = namespaces.systemUpdate(null, name, dryRun, current -> {
            ObjectNode copy = current.deepCopy();
            ArrayNode list = Json.child(copy, "spec").putArray("finalizers");
            for (JsonNode f : finalizers) {
                list.add(f.asString(""));
            }
            return copy;
        });
        if (updated.path("metadata").has("deletionTimestamp") && updated.path("spec").path("finalizers").isEmpty()) {
            try {
                return namespaces.delete(null, name, DeleteOptions.defaults(), dryRun).object();
            } catch (StatusException e) {
                // the update above already removed a deleting namespace that no metadata finalizer holds; upstream
                // answers the finalize call with the namespace (200) either way
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        return updated;
    }

    private static void checkPreconditions(ObjectNode ns, DeleteOptions options, String name) {
        if (options.preconditionUid() != null && !options.preconditionUid().equals(Json.text(ns, "metadata", "uid"))) {
            throw StatusException.conflict("", "namespaces", name, "Precondition failed: UID in precondition: "
                    + options.preconditionUid() + ", UID in object meta: " + Json.text(ns, "metadata", "uid"));
        }
    }
}

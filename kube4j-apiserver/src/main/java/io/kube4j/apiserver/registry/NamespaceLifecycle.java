package io.kube4j.apiserver.registry;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import io.kube4j.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Namespace lifecycle: creation only into existing, active namespaces; deletion marks the namespace
 * Terminating, empties it, then removes it. The emptying is the namespace controller's job upstream; it runs
 * here until kube4j's controller manager does it.
 */
public final class NamespaceLifecycle implements NamespaceGuard, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceLifecycle.class);
    public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public",
            "kube-node-lease");

    private final Store store;
    private final Resources resources;
    private final ExecutorService finalizer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "namespace-finalizer");
        t.setDaemon(true);
        return t;
    });

    NamespaceLifecycle(Store store, Resources resources) {
        this.store = store;
        this.resources = resources;
    }

    @Override
    public void checkCanCreate(String namespace, ResourceType type, String name) {
        var kv = store.get("/registry/namespaces/" + namespace);
        if (kv.isEmpty()) {
            throw StatusException.notFound("", "namespaces", namespace);
        }
        ObjectNode ns = ObjectCodec.decode(kv.get().value(), kv.get().modRevision());
        if ("Terminating".equals(Json.text(ns, "status", "phase")) || ns.path("metadata").has("deletionTimestamp")) {
            throw StatusException.forbidden(type.group(), type.plural(), name, "unable to create new content in "
                    + "namespace " + namespace + " because it is being terminated");
        }
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
        if (!dryRun && marked.path("metadata").has("deletionTimestamp")) {
            finalizer.execute(() -> finalizeNamespace(namespaces, name));
        }
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
            return namespaces.delete(null, name, DeleteOptions.defaults(), dryRun).object();
        }
        return updated;
    }

    private static void checkPreconditions(ObjectNode ns, DeleteOptions options, String name) {
        if (options.preconditionUid() != null && !options.preconditionUid().equals(Json.text(ns, "metadata", "uid"))) {
            throw StatusException.conflict("", "namespaces", name, "Precondition failed: UID in precondition: "
                    + options.preconditionUid() + ", UID in object meta: " + Json.text(ns, "metadata", "uid"));
        }
    }

    private void finalizeNamespace(GenericRegistry namespaces, String name) {
        try {
            for (int round = 0; round < 600; round++) {
                if (namespaces.find(null, name).isEmpty()) {
                    return;
                }
                boolean empty = true;
                for (GenericRegistry registry : resources.all()) {
                    if (!registry.type().namespaced() || !registry.type().supports("delete")) {
                        continue;
                    }
                    if (store.count(registry.listPrefix(name)) > 0) {
                        empty = false;
                        registry.deleteCollection(name, ListOptions.everything(),
                                new DeleteOptions(0L, "Background", null, null), false);
                    }
                }
                if (empty) {
                    finalize(namespaces, name, Json.object(), false);
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (StatusException e) {
            if (e.code() != 404) {
                LOG.warn("finalizing namespace {} failed: {}", name, e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("finalizing namespace {} failed", name, e);
        }
    }

    @Override
    public void close() {
        finalizer.shutdownNow();
    }
}

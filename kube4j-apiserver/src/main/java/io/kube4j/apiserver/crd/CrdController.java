package io.kube4j.apiserver.crd;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.apiserver.watchcache.CacheListener;
import io.kube4j.apiserver.watchcache.CachedEvent;
import io.kube4j.store.KeyValue;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the custom resources the CRDs define, inside the API server as upstream's apiextensions-apiserver:
 * watches CRDs through their watch cache, adds each served version to the resource registry (discovery and
 * routing see it at once), sets the NamesAccepted and Established conditions, and on a CRD's deletion stops
 * serving it, deletes its instances and releases the cleanup finalizer.
 */
public final class CrdController implements CacheListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CrdController.class);
    private static final String GROUP = "apiextensions.k8s.io";

    private final ResourceRegistry registry;
    private final Resources resources;
    private final Store store;
    private final GenericRegistry crds;
    private final ExecutorService worker;
    /** CRD name to the resource versions it serves. */
    private final Map<String, List<ResourceType>> served = new ConcurrentHashMap<>();

    private CrdController(ResourceRegistry registry, Resources resources, Store store, GenericRegistry crds) {
        this.registry = registry;
        this.resources = resources;
        this.store = store;
        this.crds = crds;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "crd-controller");
            t.setDaemon(true);
            return t;
        });
    }

    /** Installs the CRD strategy and starts serving every stored CRD. */
    public static CrdController start(ResourceRegistry registry, Resources resources, Store store) {
        ResourceType type = registry.find(GROUP, "v1", "customresourcedefinitions").orElseThrow();
        GenericRegistry crds = resources.add(type, new CrdStrategy(type), "customresourcedefinitions");
        CrdController controller = new CrdController(registry, resources, store, crds);
        crds.cache().register(controller, true, 0);
        return controller;
    }

    @Override
    public boolean onEvent(CachedEvent event) {
        // read from the cached attributes: the event's object is not decoded for its name
        String cachedName = event.entry().attributes().name();
        String name = cachedName == null ? "" : cachedName;
        worker.execute(() -> reconcileSafely(name));
        return true;
    }

    @Override
    public void onTerminated(String reason) {
        LOG.debug("CRD watch ended: {}", reason);
    }

    private void reconcileSafely(String name) {
        try {
            reconcile(name);
        } catch (RuntimeException e) {
            LOG.warn("cannot reconcile CRD {}", name, e);
        }
    }

    void reconcile(String name) {
        ObjectNode obj = crds.find(null, name).orElse(null);
        if (obj == null) {
            unserve(name);
            return;
        }
        Crd crd = Crd.of(obj);
        if (Crd.isDeleting(obj)) {
            unserve(name);
            deleteInstances(crd);
            releaseFinalizer(name);
            return;
        }
        boolean accepted = namesAccepted(crd);
        if (accepted) {
            serve(crd);
        }
        updateStatus(name, crd, accepted);
    }

    private boolean namesAccepted(Crd crd) {
        for (ResourceType type : registry.all()) {
            if (!type.group().equals(crd.group())) {
                continue;
            }
            boolean ours = served.getOrDefault(crd.name(), List.of()).stream()
                    .anyMatch(t -> t.plural().equals(type.plural()));
            if (!ours && (type.plural().equals(crd.plural()) || type.kind().equals(crd.kind()))) {
                return false;
            }
        }
        return true;
    }

    private synchronized void serve(Crd crd) {
        List<ResourceType> now = new ArrayList<>();
        for (CrdVersion version : crd.versions()) {
            if (!version.served()) {
                continue;
            }
            ResourceType type = crd.resourceType(version);
            CustomResourceStorage storage = CustomResourceStorage.of(crd, version);
            resources.add(type, new CustomResourceStrategy(type, version), crd.storageName(), storage, storage.key());
            registry.add(type);
            now.add(type);
        }
        for (ResourceType old : served.getOrDefault(crd.name(), List.of())) {
            if (now.stream().noneMatch(t -> t.version().equals(old.version()) && t.plural().equals(old.plural()))) {
                registry.remove(old.group(), old.version(), old.plural());
                resources.remove(old.group(), old.version(), old.plural());
            }
        }
        String storage = crd.storageVersion();
        if (now.stream().anyMatch(t -> t.version().equals(storage))) {
            registry.preferVersion(crd.group(), storage);
        }
        served.put(crd.name(), now);
    }

    private synchronized void unserve(String name) {
        for (ResourceType type : served.getOrDefault(name, List.of())) {
            registry.remove(type.group(), type.version(), type.plural());
            resources.remove(type.group(), type.version(), type.plural());
        }
        served.remove(name);
    }

    private void deleteInstances(Crd crd) {
        String prefix = "/registry/" + crd.storageName() + "/";
        for (KeyValue kv : store.list(prefix).items()) {
            try {
                store.delete(kv.key(), kv.modRevision());
            } catch (StoreException.Conflict | StoreException.KeyNotFound e) {
                // changed or gone meanwhile: the next pass (or nobody) deletes it
            }
        }
    }

    private void releaseFinalizer(String name) {
        try {
            crds.systemUpdate(null, name, false, current -> {
                ObjectNode copy = current.deepCopy();
                JsonNode finalizers = copy.path("metadata").path("finalizers");
                if (finalizers instanceof ArrayNode array) {
                    for (int i = array.size() - 1; i >= 0; i--) {
                        if (Crd.FINALIZER.equals(array.get(i).asString(""))) {
                            array.remove(i);
                        }
                    }
                }
                return copy;
            });
        } catch (StatusException e) {
            LOG.debug("CRD {} already gone", name);
        }
    }

    private void updateStatus(String name, Crd crd, boolean accepted) {
        try {
            crds.guaranteedUpdate(null, name, true, false, true, GenericRegistry.SERVER_MANAGER, current -> {
                ObjectNode copy = current.deepCopy();
                ObjectNode status = copy.withObject("/status");
                if (accepted) {
                    ObjectNode names = status.putObject("acceptedNames");
                    names.put("plural", crd.plural());
                    names.put("singular", crd.singular());
                    names.put("kind", crd.kind());
                    names.put("listKind", crd.listKind());
                    if (!crd.shortNames().isEmpty()) {
                        crd.shortNames().forEach(names.withArray("shortNames")::add);
                    }
                    if (!crd.categories().isEmpty()) {
                        crd.categories().forEach(names.withArray("categories")::add);
                    }
                }
                ArrayNode conditions = status.withArray("conditions");
                setCondition(conditions, "NamesAccepted", accepted, accepted ? "NoConflicts" : "AlreadyInUse",
                        accepted ? "no conflicts found" : "\"" + crd.plural() + "\" or \"" + crd.kind()
                                + "\" is already in use");
                setCondition(conditions, "Established", accepted, accepted ? "InitialNamesAccepted" : "NotAccepted",
                        accepted ? "the initial names have been accepted" : "not all names are accepted");
                copy.remove("metadata");
                copy.set("metadata", current.get("metadata").deepCopy());
                return copy;
            });
        } catch (StatusException e) {
            LOG.debug("CRD {} changed while setting its status: {}", name, e.getMessage());
        }
    }

    private static void setCondition(ArrayNode conditions, String type, boolean ok, String reason, String message) {
        String status = ok ? "True" : "False";
        for (JsonNode c : conditions) {
            if (type.equals(c.path("type").asString(""))) {
                ObjectNode condition = (ObjectNode) c;
                if (!status.equals(condition.path("status").asString(""))) {
                    condition.put("lastTransitionTime", now());
                }
                condition.put("status", status);
                condition.put("reason", reason);
                condition.put("message", message);
                return;
            }
        }
        ObjectNode condition = conditions.addObject();
        condition.put("type", type);
        condition.put("status", status);
        condition.put("lastTransitionTime", now());
        condition.put("reason", reason);
        condition.put("message", message);
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void close() {
        crds.cache().unregister(this);
        worker.shutdownNow();
    }
}

package io.kube4j.apiserver.apiregistration;

import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.DeleteOptions;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.ListOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Upstream's kube-aggregator autoregister controller: keeps the APIServices this server wants in step with the stored
 * ones. A wanted APIService is labelled {@code kube-aggregator.kubernetes.io/automanaged}: {@code onstart} for the
 * built-in group/versions (created if missing and put back once, at start: a user may change or delete one until
 * the next start), {@code true} for the custom resource group/versions (created, put back and deleted whenever they
 * differ). An APIService without the label is the user's and never touched; one labelled {@code onstart} that was
 * not there at start is left alone, as upstream leaves it.
 */
final class AutoRegistration {

    static final String LABEL = "kube-aggregator.kubernetes.io/automanaged";
    static final String ON_START = "onstart";
    static final String ALWAYS = "true";
    /** The field manager of the server's own writes (upstream's loopback client is kube-apiserver). */
    static final String MANAGER = GenericRegistry.SERVER_MANAGER;

    private static final Logger LOG = LoggerFactory.getLogger(AutoRegistration.class);

    private final GenericRegistry apiServices;
    /** Name to the wanted APIService, labelled with how it is kept. */
    private final Map<String, ObjectNode> wanted = new ConcurrentHashMap<>();
    /** The names labelled onstart that were stored when the controller started. */
    private final Set<String> atStart = ConcurrentHashMap.newKeySet();
    /** The names synced once without error: an onstart APIService is not synced again. */
    private final Set<String> synced = ConcurrentHashMap.newKeySet();
    private final SyncQueue queue;

    AutoRegistration(GenericRegistry apiServices, ScheduledExecutorService executor) {
        this.apiServices = apiServices;
        this.queue = new SyncQueue("APIService autoregistration", this::sync, executor);
    }

    /** Notes which automanaged APIServices exist now, then syncs every stored and every wanted one. */
    /** What the API server's watch cache feeds: the queue, which takes the names of the objects. */
    SyncQueue listener() {
        return queue;
    }

    void start() {
        // a consistent list (the cache once it has seen the store's revision), as upstream reads its synced lister
        for (ObjectNode apiService : apiServices.list(null, ListOptions.everything()).items()) {
            if (ON_START.equals(label(apiService))) {
                atStart.add(Json.text(apiService, "metadata", "name"));
            }
        }
        apiServices.cache().register(queue, true, 0);
        wanted.keySet().forEach(queue::add);
    }

    /** Wants the Local APIService of a built-in group/version, kept as at start. */
    void addOnStart(String group, String version, ApiServicePriorities.Priority priority) {
        want(localApiService(group, version, priority, ON_START));
    }

    /** Wants the Local APIService of a custom resource group/version, kept always. */
    void addAlways(String group, String version, ApiServicePriorities.Priority priority) {
        want(localApiService(group, version, priority, ALWAYS));
    }

    /** No longer wants the always-kept APIService {@code name}: it is deleted if this server manages it. */
    void removeAlways(String name) {
        ObjectNode removed = wanted.computeIfPresent(name, (n, o) -> ALWAYS.equals(label(o)) ? null : o);
        if (removed == null) {
            queue.add(name);
        }
    }

    /** Queues every wanted APIService again (a periodic resync, as an informer's). */
    void resync() {
        wanted.keySet().forEach(queue::add);
    }

    private void want(ObjectNode apiService) {
        String name = Json.text(apiService, "metadata", "name");
        wanted.put(name, apiService);
        queue.add(name);
    }

    /** What upstream's makeAPIService builds: a Local APIService (no service) with the group/version's priorities. */
    static ObjectNode localApiService(String group, String version, ApiServicePriorities.Priority priority,
                                      String management) {
        ObjectNode obj = Json.object(ApiServices.API_VERSION, ApiServices.KIND, null, ApiServices.name(group, version));
        Json.metadata(obj).putObject("labels").put(LABEL, management);
        ObjectNode spec = obj.putObject("spec");
        if (!group.isEmpty()) {
            spec.put("group", group); // the core group's is empty, which upstream's JSON omits
        }
        spec.put("version", version);
        spec.put("groupPriorityMinimum", priority.group());
        spec.put("versionPriority", priority.version());
        return obj;
    }

    /**
     * Upstream's checkAPIService, case for case: the stored APIService against the wanted one, each case named by
     * upstream's table (row: what is stored, column: what is wanted).
     */
    void sync(String name) {
        ObjectNode want = wanted.get(name);
        ObjectNode current = apiServices.find(null, name).orElse(null);
        boolean hasSynced = synced.contains(name);
        if (current == null && want == null) {
            // 2A: nothing stored, nothing wanted
        } else if (ON_START.equals(label(want)) && hasSynced) {
            // 2B, 5B, 6B: an onstart APIService is synced once
        } else if (current == null) {
            // 2B, 2C
            apiServices.create(null, want.deepCopy(), false, MANAGER);
            LOG.debug("created APIService {}", name);
        } else if (!isAutomanaged(current)) {
            // 3: the user's own APIService
        } else if (ON_START.equals(label(current)) && (!atStart.contains(name) || hasSynced)) {
            // 4: labelled onstart after the start; 5: synced once already
        } else if (want == null) {
            // 5A, 6A: managed here, no longer wanted (a deleted CRD's)
            apiServices.delete(null, name, DeleteOptions.defaults(), false);
            LOG.info("deleted APIService {}: its group/version is no longer served", name);
        } else if (!current.path("spec").equals(want.path("spec"))) {
            // 5B, 5C, 6B, 6C: put the spec back, guarded by the read's resourceVersion (a conflict is retried)
            ObjectNode update = current.deepCopy();
            update.set("spec", want.get("spec").deepCopy());
            apiServices.update(null, name, update, false, false, MANAGER);
            LOG.info("put back the spec of APIService {}", name);
        }
        synced.add(name);
    }

    private static boolean isAutomanaged(ObjectNode apiService) {
        String label = label(apiService);
        return ON_START.equals(label) || ALWAYS.equals(label);
    }

    private static String label(ObjectNode apiService) {
        if (apiService == null) {
            return null;
        }
        JsonNode value = apiService.path("metadata").path("labels").get(LABEL);
        return value == null || !value.isString() ? null : value.asString();
    }
}

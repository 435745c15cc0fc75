package io.kube4j.apiserver.flowcontrol;

import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.StatusReason;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.ListOptions;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.apiserver.watchcache.CacheListener;
import io.kube4j.apiserver.watchcache.CachedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Upstream's APF configuration producer and consumer in one controller: it watches FlowSchemas and
 * PriorityLevelConfigurations through their watch caches and, on every change (changes arriving together are
 * handled in one pass, on one thread), puts the mandatory objects back as they must be, creates missing suggested
 * ones and updates those whose {@code apf.kubernetes.io/autoupdate-spec} annotation allows it, keeps each flow
 * schema's Dangling condition, and hands the result to {@link FlowControl}. A periodic pass covers a lost watch.
 */
public final class FlowControlConfigController implements CacheListener, AutoCloseable {

    /** Upstream's field managers of the configuration producer and of the status writer. */
    static final String PRODUCER = "api-priority-and-fairness-config-producer-v1";
    static final Duration RESYNC = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(FlowControlConfigController.class);

    private final GenericRegistry schemas;
    private final GenericRegistry levels;
    private final FlowControl flowControl;
    private final Clock clock;
    /**
     * One pass at a time; the thread leaves when idle, so a server that is closed without closing this controller
     * (its watch caches and timers stop with the server) leaves no thread behind.
     */
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "apf-config-controller");
                t.setDaemon(true);
                return t;
            });

    {
        worker.allowCoreThreadTimeOut(true);
    }
    private final AtomicBoolean pending = new AtomicBoolean();

    private FlowControlConfigController(GenericRegistry schemas, GenericRegistry levels, FlowControl flowControl,
                                        Clock clock) {
        this.schemas = schemas;
        this.levels = levels;
        this.flowControl = flowControl;
        this.clock = clock;
    }

    /**
     * Writes the bootstrap configuration and configures {@code flowControl} now (a failure stops the start, as a
     * server that cannot write them should not serve), then follows every change; {@code timers} runs the periodic
     * pass.
     */
    public static FlowControlConfigController start(Resources resources, FlowControl flowControl,
                                                    ScheduledExecutorService timers, Clock clock) {
        GenericRegistry schemas = resources.find(FlowControlResources.GROUP, FlowControlResources.VERSION,
                FlowControlResources.FLOW_SCHEMAS).orElseThrow();
        GenericRegistry levels = resources.find(FlowControlResources.GROUP, FlowControlResources.VERSION,
                FlowControlResources.PRIORITY_LEVELS).orElseThrow();
        FlowControlConfigController controller = new FlowControlConfigController(schemas, levels, flowControl, clock);
        // the objects and the configuration before the first request; the conditions (a write per flow schema,
        // most of a fresh start's writes) follow on the controller's thread
        controller.sync(false);
        // the initial state's events queue that pass; from a revision the ring may not hold, no watch
        schemas.cache().register(controller, true, 0);
        levels.cache().register(controller, true, 0);
        timers.scheduleWithFixedDelay(controller::schedule, RESYNC.toMillis(), RESYNC.toMillis(),
                TimeUnit.MILLISECONDS);
        return controller;
    }

    @Override
    public boolean onEvent(CachedEvent event) {
        schedule();
        return true;
    }

    @Override
    public void onTerminated(String reason) {
        LOG.debug("flow-control configuration watch ended: {}", reason);
    }

    /** Queues one pass unless one is queued already (a burst of changes is read in one pass). */
    private void schedule() {
        if (pending.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    pending.set(false);
                    syncQuietly();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.set(false); // closed
            }
        }
    }

    private void syncQuietly() {
        try {
            sync(true);
        } catch (RuntimeException e) {
            // the next change or the periodic pass tries again (the store may be briefly unreachable)
            LOG.warn("cannot reconcile the flow-control configuration: {}", e.getMessage());
        }
    }

    /** One pass: bootstrap objects, Dangling conditions (if {@code conditions}), then flow control's configuration. */
    void sync(boolean conditions) {
        boolean wrote = ensure(levels, BootstrapConfiguration.mandatoryPriorityLevels(), true)
                | ensure(levels, BootstrapConfiguration.suggestedPriorityLevels(), false)
                | ensure(schemas, BootstrapConfiguration.mandatoryFlowSchemas(), true)
                | ensure(schemas, BootstrapConfiguration.suggestedFlowSchemas(), false);
        List<ObjectNode> levelObjects = list(levels);
        Set<String> levelNames = new HashSet<>();
        levelObjects.forEach(l -> levelNames.add(l.path("metadata").path("name").asString("")));
        List<ObjectNode> schemaObjects = list(schemas);
        if (conditions) {
            for (ObjectNode schema : schemaObjects) {
                markDangling(schema, levelNames);
            }
        }
        flowControl.configure(schemaObjects, levelObjects);
        if (wrote) {
            LOG.debug("flow-control bootstrap objects written");
        }
    }

    private static List<ObjectNode> list(GenericRegistry registry) {
        return registry.list(null, ListOptions.everything()).items();
    }

    /**
     * Creates the missing objects of {@code wanted}; puts back the spec of an existing one if it differs and
     * {@code mandatory} or its annotation allows (upstream's shouldUpdateSpec). Returns whether anything was written.
     */
    private boolean ensure(GenericRegistry registry, List<ObjectNode> wanted, boolean mandatory) {
        Map<String, ObjectNode> existing = new LinkedHashMap<>();
        for (ObjectNode obj : list(registry)) {
            existing.put(obj.path("metadata").path("name").asString(""), obj);
        }
        boolean wrote = false;
        for (ObjectNode want : wanted) {
            String name = want.path("metadata").path("name").asString();
            ObjectNode current = existing.get(name);
            if (current == null) {
                try {
                    registry.create(null, want, false, PRODUCER);
                    wrote = true;
                } catch (StatusException e) {
                    if (e.reason() != StatusReason.ALREADY_EXISTS) {
                        throw e;
                    }
                }
                continue;
            }
            if (current.path("metadata").has("deletionTimestamp") || !(mandatory || shouldUpdateSpec(current))) {
                continue;
            }
            JsonNode spec = wantedSpec(want, current);
            String annotation = current.path("metadata").path("annotations")
                    .path(BootstrapConfiguration.AUTO_UPDATE_ANNOTATION).asString("");
            if (spec.equals(current.get("spec")) && (!mandatory || annotation.equals("true"))) {
                continue;
            }
            // the change works on a copy: an update handed back the object it read changes nothing
            registry.guaranteedUpdate(null, name, true, false, false, read -> {
                ObjectNode obj = read.deepCopy();
                obj.set("spec", spec.deepCopy());
                if (!obj.path("metadata").path("annotations").isObject()) {
                    ((ObjectNode) obj.get("metadata")).putObject("annotations");
                }
                ((ObjectNode) obj.get("metadata").get("annotations"))
                        .put(BootstrapConfiguration.AUTO_UPDATE_ANNOTATION, "true");
                return obj;
            });
            wrote = true;
        }
        return wrote;
    }

    /**
     * The spec to keep: the bootstrap one, except that the exempt level's nominalConcurrencyShares and
     * lendablePercent are an operator's to set, as upstream 1.32 allows.
     */
    private static JsonNode wantedSpec(ObjectNode want, ObjectNode current) {
        ObjectNode spec = (ObjectNode) want.get("spec").deepCopy();
        JsonNode exempt = current.path("spec").get("exempt");
        if ("Exempt".equals(spec.path("type").asString("")) && exempt != null && exempt.isObject()
                && "Exempt".equals(current.path("spec").path("type").asString(""))) {
            spec.set("exempt", exempt.deepCopy());
        }
        return spec;
    }

    /**
     * Upstream's shouldUpdateSpec: the annotation's boolean when it has one; otherwise only an object nobody has
     * changed since it was created (generation 1).
     */
    static boolean shouldUpdateSpec(ObjectNode obj) {
        String value = obj.path("metadata").path("annotations").path(BootstrapConfiguration.AUTO_UPDATE_ANNOTATION)
                .asString("");
        return switch (value) {
            case "true", "True", "TRUE", "1", "t", "T" -> true;
            case "false", "False", "FALSE", "0", "f", "F" -> false;
            default -> obj.path("metadata").path("generation").asLong(0) == 1;
        };
    }

    /** Sets the Dangling condition when it says otherwise than it should. */
    private void markDangling(ObjectNode schema, Set<String> levelNames) {
        String level = schema.path("spec").path("priorityLevelConfiguration").path("name").asString("");
        boolean dangling = !levelNames.contains(level);
        String status = dangling ? "True" : "False";
        String reason = dangling ? "NotFound" : "Found";
        String message = dangling ? "This FlowSchema references the PriorityLevelConfiguration object named \""
                + level + "\" but there is no such object"
                : "This FlowSchema references an existing PriorityLevelConfiguration object";
        JsonNode current = condition(schema);
        if (current != null && status.equals(current.path("status").asString(""))
                && reason.equals(current.path("reason").asString(""))
                && message.equals(current.path("message").asString(""))) {
            return;
        }
        String name = schema.path("metadata").path("name").asString("");
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        try {
            schemas.guaranteedUpdate(null, name, true, false, true, read -> {
                ObjectNode obj = read.deepCopy();
                ObjectNode statusNode = obj.get("status") instanceof ObjectNode s ? s : obj.putObject("status");
                ArrayNode conditions = statusNode.get("conditions") instanceof ArrayNode a ? a
                        : statusNode.putArray("conditions");
                for (int i = conditions.size() - 1; i >= 0; i--) {
                    if ("Dangling".equals(conditions.get(i).path("type").asString(""))) {
                        conditions.remove(i);
                    }
                }
                ObjectNode condition = conditions.addObject();
                condition.put("type", "Dangling");
                condition.put("status", status);
                condition.put("lastTransitionTime", now);
                condition.put("reason", reason);
                condition.put("message", message);
                return obj;
            });
        } catch (StatusException e) {
            if (e.reason() != StatusReason.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static JsonNode condition(ObjectNode schema) {
        for (JsonNode condition : schema.path("status").path("conditions")) {
            if ("Dangling".equals(condition.path("type").asString(""))) {
                return condition;
            }
        }
        return null;
    }

    @Override
    public void close() {
        schemas.cache().unregister(this);
        levels.cache().unregister(this);
        worker.shutdownNow();
    }
}

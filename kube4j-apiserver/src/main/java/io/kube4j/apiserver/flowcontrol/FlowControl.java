package io.kube4j.apiserver.flowcontrol;

import io.kube4j.api.status.StatusDetails;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.StatusReason;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.endpoints.RequestInfo;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.http.StatusWriter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * API Priority and Fairness, upstream's {@code WithPriorityAndFairness} filter: every request is classified by the
 * first FlowSchema that matches it (by matchingPrecedence, then name) into that schema's priority level, and runs
 * when the level gives it a seat - at once on an exempt level or while seats are free, else after waiting in the
 * level's queues, or never: a 429 when the queues are full, the level rejects, or the wait lasts longer than
 * {@link #DEFAULT_MAX_WAIT}. A waiting request holds no thread: the request that frees a seat hands the next one to
 * the executor. The seat is held while the handler runs, which for a watch is only its start.
 * <p>
 * The server's total concurrency limit is shared among the levels by their nominalConcurrencyShares (upstream's
 * nominal limits); levels do not lend or borrow seats.
 */
public final class FlowControl {

    /** Upstream's default: --max-requests-inflight 400 plus --max-mutating-requests-inflight 200. */
    public static final int DEFAULT_CONCURRENCY_LIMIT = 600;
    /** Upstream bounds the wait in a queue by a quarter of the 60 s request timeout. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(15);
    /** Upstream's message and Retry-After for a request refused by flow control. */
    static final String TOO_MANY_REQUESTS = "Too many requests, please try again later.";
    private static final int RETRY_AFTER_SECONDS = 1;

    /** A compiled schema with the level it feeds and its counters: what classification hands out. */
    record Route(CompiledSchema schema, PriorityLevel level, FlowControlMetrics.Counters counters,
                 Map<String, String> headers) {
        Route(CompiledSchema schema, PriorityLevel level, FlowControlMetrics.Counters counters) {
            this(schema, level, counters, FlowControlHeaders.headers(schema.uid, level.uid()));
        }
    }

    private final int concurrencyLimit;
    private final Executor executor;
    private final ScheduledExecutorService timers;
    private final long maxWaitNanos;
    private final FlowControlMetrics metrics = new FlowControlMetrics();
    private final Map<String, PriorityLevel> levels = new ConcurrentHashMap<>();
    /** The matching order, replaced whole on every configuration change. */
    private volatile Route[] routes = new Route[0];

    /**
     * {@code executor} runs requests that waited in a queue (the server's worker pool); {@code timers} ends waits
     * longer than {@code maxWait}.
     */
    public FlowControl(int concurrencyLimit, Executor executor, ScheduledExecutorService timers, Duration maxWait) {
        if (concurrencyLimit <= 0) {
            throw new IllegalArgumentException("the concurrency limit must be positive, not " + concurrencyLimit);
        }
        this.concurrencyLimit = concurrencyLimit;
        this.executor = executor;
        this.timers = timers;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /**
     * Classifies the request and calls {@code serve} with a sink carrying the flow-control headers once it may run,
     * on this thread if it may run now, else on the executor; or answers 429 itself. A request no schema matches
     * (before the configuration is first read) runs unclassified.
     */
    public void handle(String method, String path, RequestInfo info, UserInfo user, ResponseSink sink,
                       Consumer<ResponseSink> serve) {
        Route route = classify(user, info, info == null ? nonResourceVerb(method) : info.verb(), path);
        if (route == null) {
            serve.accept(sink);
            return;
        }
        ResponseSink headed = new FlowControlHeaders(sink, route.schema().uid, route.level().uid(),
                route.headers());
        PriorityLevel level = route.level();
        if (level.tryTakeSeat()) {
            runHoldingSeat(route, headed, serve);
            return;
        }
        long hash = flowHash(route.schema().name, route.schema().distinguisher(user, info));
        Queued queued = new Queued(route, headed, serve);
        PriorityLevel.Waiting waiting = new PriorityLevel.Waiting(hash, queued);
        queued.waiting = waiting;
        route.counters().inQueue.increment();
        String outcome = level.enqueue(waiting);
        if (outcome == null) {
            route.counters().inQueue.decrement();
            runHoldingSeat(route, headed, serve);
        } else if (outcome.isEmpty()) {
            queued.timer = timers.schedule(() -> expire(queued), maxWaitNanos, TimeUnit.NANOSECONDS);
        } else {
            route.counters().inQueue.decrement();
            reject(route, headed, outcome);
        }
    }

    /** The route of a request: the first matching schema's, or null when none matches. */
    Route classify(UserInfo user, RequestInfo info, String verb, String path) {
        for (Route route : routes) {
            if (route.schema().matches(user, info, verb, path)) {
                return route;
            }
        }
        return null;
    }

    /** A request that waits for a seat; run by the executor once it has one. */
    private final class Queued implements Runnable {
        final Route route;
        final ResponseSink sink;
        final Consumer<ResponseSink> serve;
        PriorityLevel.Waiting waiting;
        volatile Future<?> timer;

        Queued(Route route, ResponseSink sink, Consumer<ResponseSink> serve) {
            this.route = route;
            this.sink = sink;
            this.serve = serve;
        }

        @Override
        public void run() {
            runHoldingSeat(route, sink, serve);
        }
    }

    private void runHoldingSeat(Route route, ResponseSink sink, Consumer<ResponseSink> serve) {
        FlowControlMetrics.Counters counters = route.counters();
        counters.dispatched.increment();
        counters.executing.increment();
        try {
            serve.accept(sink);
        } finally {
            counters.executing.decrement();
            start(route.level().release());
        }
    }

    /** Hands requests that were given seats to the executor. */
    private void start(List<PriorityLevel.Waiting> ready) {
        if (ready == null) {
            return;
        }
        for (PriorityLevel.Waiting waiting : ready) {
            Queued queued = (Queued) waiting.run;
            Future<?> timer = queued.timer;
            if (timer != null) {
                timer.cancel(false);
            }
            queued.route.counters().inQueue.decrement();
            try {
                executor.execute(queued);
            } catch (RejectedExecutionException e) {
                // the server is stopping: the seat goes back and the client hears so
                start(queued.route.level().release());
                write(queued.sink, StatusException.serviceUnavailable("the server is shutting down"));
            }
        }
    }

    private void expire(Queued queued) {
        if (queued.route.level().expire(queued.waiting)) {
            queued.route.counters().inQueue.decrement();
            reject(queued.route, queued.sink, PriorityLevel.TIME_OUT);
        }
    }

    private static void reject(Route route, ResponseSink sink, String reason) {
        route.counters().rejected(reason);
        write(sink, new StatusException(StatusReason.TOO_MANY_REQUESTS, TOO_MANY_REQUESTS,
                new StatusDetails(null, null, null, null, List.of(), RETRY_AFTER_SECONDS)));
    }

    private static void write(ResponseSink sink, StatusException e) {
        try {
            StatusWriter.write(sink, e);
        } catch (IllegalStateException gone) {
            // the client went away while the request waited
        }
    }

    // ---- configuration ----

    /**
     * Reads the stored FlowSchemas and PriorityLevelConfigurations: every level's nominal seats are the server's
     * limit times its share of the sum of all levels' nominalConcurrencyShares, rounded up; schemas naming a missing
     * level (dangling) are left out of matching, as upstream leaves them.
     */
    public synchronized void configure(Collection<ObjectNode> schemaObjects, Collection<ObjectNode> levelObjects) {
        long shares = 0;
        for (ObjectNode level : levelObjects) {
            shares += nominalShares(level);
        }
        Set<String> names = new HashSet<>();
        for (ObjectNode obj : levelObjects) {
            String name = obj.path("metadata").path("name").asString("");
            names.add(name);
            JsonNode spec = obj.path("spec");
            boolean exempt = "Exempt".equals(spec.path("type").asString(""));
            JsonNode response = spec.path("limited").path("limitResponse");
            boolean reject = "Reject".equals(response.path("type").asString(""));
            JsonNode queuing = response.path("queuing");
            int limit = exempt || shares == 0 ? 0
                    : (int) Math.ceil((double) concurrencyLimit * nominalShares(obj) / shares);
            PriorityLevel level = levels.computeIfAbsent(name, PriorityLevel::new);
            start(level.configure(obj.path("metadata").path("uid").asString(""), exempt, reject, limit,
                    reject || exempt ? 0 : queuing.path("queues").asInt(0), queuing.path("handSize").asInt(1),
                    queuing.path("queueLengthLimit").asInt(0)));
        }
        // requests already holding a level's seats keep their own reference to it
        levels.keySet().retainAll(names);
        List<CompiledSchema> schemas = new ArrayList<>();
        for (ObjectNode obj : schemaObjects) {
            CompiledSchema schema = CompiledSchema.of(obj);
            if (levels.containsKey(schema.levelName)) {
                schemas.add(schema);
            }
        }
        schemas.sort(Comparator.comparingLong((CompiledSchema s) -> s.precedence).thenComparing(s -> s.name));
        Route[] compiled = new Route[schemas.size()];
        for (int i = 0; i < compiled.length; i++) {
            CompiledSchema schema = schemas.get(i);
            compiled[i] = new Route(schema, levels.get(schema.levelName),
                    metrics.counters(schema.name, schema.levelName));
        }
        routes = compiled;
    }

    private static long nominalShares(ObjectNode level) {
        JsonNode spec = level.path("spec");
        JsonNode config = "Exempt".equals(spec.path("type").asString("")) ? spec.path("exempt") : spec.path("limited");
        return Math.max(0, config.path("nominalConcurrencyShares").asLong(0));
    }

    // ---- observation ----

    /** The {@code apiserver_flowcontrol_*} series, appended to {@code out} in Prometheus text format. */
    public void renderMetrics(StringBuilder out) {
        Map<String, Integer> limits = new HashMap<>();
        levels.forEach((name, level) -> limits.put(name, level.limit()));
        metrics.render(out, limits);
    }

    /** Upstream's {@code /debug/api_priority_and_fairness/dump_priority_levels}: one line per level. */
    public String dumpPriorityLevels() {
        StringBuilder out = new StringBuilder("PriorityLevelName, ActiveQueues, IsIdle, IsQuiescing, WaitingRequests, "
                + "ExecutingRequests, DispatchedRequests, RejectedRequests, TimedoutRequests, CancelledRequests\n");
        Map<String, long[]> totals = new TreeMap<>();
        for (Route route : routes) {
            long[] t = totals.computeIfAbsent(route.level().name, n -> new long[3]);
            t[0] += route.counters().dispatched.sum();
            t[1] += route.counters().rejectedTotal();
            t[2] += route.counters().rejected.getOrDefault(PriorityLevel.TIME_OUT,
                    new java.util.concurrent.atomic.LongAdder()).sum();
        }
        new TreeMap<>(levels).forEach((name, level) -> {
            long[] t = totals.getOrDefault(name, new long[3]);
            int executing = level.executing();
            int waiting = level.waiting();
            out.append(name).append(", ").append(level.activeQueues()).append(", ")
                    .append(executing == 0 && waiting == 0).append(", false, ").append(waiting).append(", ")
                    .append(executing).append(", ").append(t[0]).append(", ").append(t[1]).append(", ")
                    .append(t[2]).append(", 0\n");
        });
        return out.toString();
    }

    // ---- helpers ----

    /** Upstream's non-resource verb: the lower-case method, without allocating for the usual ones. */
    private static String nonResourceVerb(String method) {
        return switch (method) {
            case "GET" -> "get";
            case "HEAD" -> "head";
            case "POST" -> "post";
            case "PUT" -> "put";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            case "OPTIONS" -> "options";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** FNV-1a over the schema name and the distinguisher, as upstream hashes a flow, without joining them. */
    static long flowHash(String schema, String distinguisher) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < schema.length(); i++) {
            h = (h ^ schema.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ 0) * 0x100000001b3L;
        for (int i = 0; i < distinguisher.length(); i++) {
            h = (h ^ distinguisher.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }
}

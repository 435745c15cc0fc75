package io.kube4j.apiserver.flowcontrol;

import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.endpoints.RequestInfo;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Classification against upstream's bootstrap configuration, and a level's seats and queue. */
class FlowControlTest {

    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timers.shutdownNow();
    }

    private FlowControl bootstrapped() {
        FlowControl flowControl = new FlowControl(FlowControl.DEFAULT_CONCURRENCY_LIMIT, workers, timers,
                FlowControl.DEFAULT_MAX_WAIT);
        List<ObjectNode> schemas = new ArrayList<>(BootstrapConfiguration.mandatoryFlowSchemas());
        schemas.addAll(BootstrapConfiguration.suggestedFlowSchemas());
        List<ObjectNode> levels = new ArrayList<>(BootstrapConfiguration.mandatoryPriorityLevels());
        levels.addAll(BootstrapConfiguration.suggestedPriorityLevels());
        flowControl.configure(schemas, levels);
        return flowControl;
    }

    private static RequestInfo resource(String verb, String group, String namespace, String resource,
                                        String subresource) {
        return new RequestInfo(verb, group, "v1", namespace, resource, null, subresource);
    }

    private static String schema(FlowControl flowControl, UserInfo user, RequestInfo info) {
        FlowControl.Route route = flowControl.classify(user, info, info.verb(), "/");
        return route == null ? null : route.schema().name;
    }

    private static final UserInfo JANE = UserInfo.of("jane", UserInfo.ALL_AUTHENTICATED);
    private static final RequestInfo GET_PODS = resource("get", "", "default", "pods", null);

    @Test
    void classifiesByPrecedenceAndSubjects() {
        FlowControl flowControl = bootstrapped();
        assertThat(schema(flowControl, UserInfo.of("admin", UserInfo.SYSTEM_MASTERS, UserInfo.ALL_AUTHENTICATED),
                GET_PODS)).isEqualTo("exempt");
        UserInfo node = UserInfo.of("system:node:n1", UserInfo.NODES_GROUP, UserInfo.ALL_AUTHENTICATED);
        assertThat(schema(flowControl, node, resource("patch", "", null, "nodes", "status")))
                .isEqualTo("system-node-high");
        assertThat(schema(flowControl, node, GET_PODS)).isEqualTo("system-nodes");
        UserInfo manager = UserInfo.of("system:kube-controller-manager", UserInfo.ALL_AUTHENTICATED);
        assertThat(schema(flowControl, manager, resource("update", "coordination.k8s.io", "kube-system", "leases",
                null))).isEqualTo("system-leader-election");
        // kube-controller-manager and kube-scheduler share precedence 800: the name decides
        assertThat(schema(flowControl, manager, GET_PODS)).isEqualTo("kube-controller-manager");
        UserInfo endpoints = UserInfo.of("system:serviceaccount:kube-system:endpoint-controller",
                UserInfo.SERVICE_ACCOUNTS_GROUP, UserInfo.ALL_AUTHENTICATED);
        assertThat(schema(flowControl, endpoints, resource("update", "", "default", "endpoints", null)))
                .isEqualTo("endpoint-controller");
        assertThat(schema(flowControl, endpoints, GET_PODS)).isEqualTo("kube-system-service-accounts");
        UserInfo workload = UserInfo.of("system:serviceaccount:default:builder", UserInfo.SERVICE_ACCOUNTS_GROUP,
                UserInfo.ALL_AUTHENTICATED);
        assertThat(schema(flowControl, workload, GET_PODS)).isEqualTo("service-accounts");
        assertThat(schema(flowControl, JANE, GET_PODS)).isEqualTo("global-default");
    }

    @Test
    void nonResourceRulesMatchPathsAndVerbs() {
        FlowControl flowControl = bootstrapped();
        assertThat(flowControl.classify(UserInfo.ANONYMOUS, null, "get", "/readyz").schema().name)
                .isEqualTo("probes");
        assertThat(flowControl.classify(UserInfo.ANONYMOUS, null, "post", "/readyz").schema().name)
                .isEqualTo("global-default");
        assertThat(flowControl.classify(UserInfo.ANONYMOUS, null, "get", "/version").schema().name)
                .isEqualTo("global-default");
    }

    @Test
    void theCatchAllTakesWhatNothingElseMatches() {
        FlowControl flowControl = new FlowControl(600, workers, timers, FlowControl.DEFAULT_MAX_WAIT);
        flowControl.configure(BootstrapConfiguration.mandatoryFlowSchemas(),
                BootstrapConfiguration.mandatoryPriorityLevels());
        assertThat(schema(flowControl, JANE, GET_PODS)).isEqualTo("catch-all");
        assertThat(flowControl.classify(UserInfo.ANONYMOUS, null, "get", "/healthz").level().name)
                .isEqualTo("catch-all");
    }

    @Test
    void aSchemaNamingAMissingLevelIsSkipped() {
        FlowControl flowControl = new FlowControl(600, workers, timers, FlowControl.DEFAULT_MAX_WAIT);
        List<ObjectNode> schemas = new ArrayList<>(BootstrapConfiguration.mandatoryFlowSchemas());
        schemas.add(schemaFor("jane-first", "nowhere", 50));
        flowControl.configure(schemas, BootstrapConfiguration.mandatoryPriorityLevels());
        assertThat(schema(flowControl, JANE, GET_PODS)).isEqualTo("catch-all");
    }

    @Test
    void nominalSeatsAreTheServerLimitSharedByNominalConcurrencyShares() {
        FlowControl flowControl = bootstrapped();
        StringBuilder metrics = new StringBuilder();
        flowControl.renderMetrics(metrics);
        // shares: exempt 0, catch-all 5, system 30, node-high 40, leader-election 10, workload-high 40,
        // workload-low 100, global-default 20 = 245; catch-all gets ceil(600 * 5 / 245) = 13
        assertThat(metrics.toString()).contains("apiserver_flowcontrol_nominal_limit_seats{priority_level="
                + "\"catch-all\"} 13\n", "apiserver_flowcontrol_nominal_limit_seats{priority_level="
                + "\"workload-low\"} 245\n");
    }

    // ---- dispatch ----

    private static ObjectNode schemaFor(String name, String level, int precedence) {
        return (ObjectNode) Json.parse(("{'metadata':{'name':'" + name + "','uid':'fs-" + name + "'},'spec':{"
                + "'priorityLevelConfiguration':{'name':'" + level + "'},'matchingPrecedence':" + precedence
                + ",'distinguisherMethod':{'type':'ByUser'},'rules':[{'subjects':[{'kind':'User','user':"
                + "{'name':'jane'}}],'resourceRules':[{'verbs':['*'],'apiGroups':['*'],'resources':['*'],"
                + "'namespaces':['*'],'clusterScope':true}]}]}}").replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode oneSeatOneQueue(String name, String limitResponse) {
        String response = limitResponse.equals("Queue")
                ? "{'type':'Queue','queuing':{'queues':1,'handSize':1,'queueLengthLimit':1}}" : "{'type':'Reject'}";
        return (ObjectNode) Json.parse(("{'metadata':{'name':'" + name + "','uid':'pl-" + name + "'},'spec':{"
                + "'type':'Limited','limited':{'nominalConcurrencyShares':1,'limitResponse':" + response + "}}}")
                .replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    /** What a request was answered, and whether it was let through. */
    private static final class Outcome implements ResponseSink {
        volatile int status;
        volatile Map<String, String> headers;
        volatile String body;
        final CountDownLatch served = new CountDownLatch(1);

        @Override
        public void send(int status, String contentType, byte[] body, Map<String, String> headers) {
            this.status = status;
            this.headers = headers;
            this.body = new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public StreamWriter stream(int status, String contentType, Map<String, String> headers) {
            throw new UnsupportedOperationException();
        }
    }

    private void handle(FlowControl flowControl, Outcome outcome, CountDownLatch holdSeat) {
        flowControl.handle("GET", "/api/v1/namespaces/default/pods/x", GET_PODS, JANE, outcome, sink -> {
            outcome.served.countDown();
            try {
                holdSeat.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sink.send(200, "text/plain", new byte[0], Map.of());
        });
    }

    @Test
    void withOneSeatAndOneQueueOfOneTheThirdConcurrentRequestIsRefused() throws Exception {
        FlowControl flowControl = new FlowControl(1, workers, timers, FlowControl.DEFAULT_MAX_WAIT);
        flowControl.configure(List.of(schemaFor("jane", "one", 500)), List.of(oneSeatOneQueue("one", "Queue")));
        CountDownLatch release = new CountDownLatch(1);
        Outcome first = new Outcome();
        Outcome second = new Outcome();
        Outcome third = new Outcome();
        workers.execute(() -> handle(flowControl, first, release));
        assertThat(first.served.await(1, TimeUnit.MINUTES)).isTrue();
        handle(flowControl, second, new CountDownLatch(0)); // queued: returns without running
        assertThat(second.served.getCount()).isEqualTo(1);
        handle(flowControl, third, new CountDownLatch(0)); // the queue is full
        assertThat(third.status).isEqualTo(429);
        assertThat(third.body).contains("\"reason\":\"TooManyRequests\"",
                "\"message\":\"Too many requests, please try again later.\"");
        assertThat(third.headers).containsEntry("Retry-After", "1")
                .containsEntry("X-Kubernetes-PF-FlowSchema-UID", "fs-jane")
                .containsEntry("X-Kubernetes-PF-PriorityLevel-UID", "pl-one");
        assertThat(third.served.getCount()).isEqualTo(1);

        release.countDown(); // the first frees its seat: the queued one runs
        assertThat(second.served.await(1, TimeUnit.MINUTES)).isTrue();
        await().atMost(Duration.ofMinutes(1)).until(() -> second.status == 200);
        StringBuilder metrics = new StringBuilder();
        flowControl.renderMetrics(metrics);
        assertThat(metrics.toString()).contains(
                "apiserver_flowcontrol_dispatched_requests_total{flow_schema=\"jane\",priority_level=\"one\"} 2\n",
                "apiserver_flowcontrol_rejected_requests_total{flow_schema=\"jane\",priority_level=\"one\","
                        + "reason=\"queue-full\"} 1\n",
                "apiserver_flowcontrol_current_inqueue_requests{flow_schema=\"jane\",priority_level=\"one\"} 0\n");
    }

    @Test
    void aRejectLevelRefusesAtOnceWhenItsSeatsAreTaken() throws Exception {
        FlowControl flowControl = new FlowControl(1, workers, timers, FlowControl.DEFAULT_MAX_WAIT);
        flowControl.configure(List.of(schemaFor("jane", "one", 500)), List.of(oneSeatOneQueue("one", "Reject")));
        CountDownLatch release = new CountDownLatch(1);
        Outcome first = new Outcome();
        Outcome second = new Outcome();
        workers.execute(() -> handle(flowControl, first, release));
        assertThat(first.served.await(1, TimeUnit.MINUTES)).isTrue();
        handle(flowControl, second, new CountDownLatch(0));
        assertThat(second.status).isEqualTo(429);
        release.countDown();
    }

    @Test
    void aRequestThatWaitsTooLongIsRefused() throws Exception {
        // the wait limit is tiny, but nothing here depends on how long anything takes: the queued request can
        // only end by timing out, since the seat is never freed while it waits
        FlowControl flowControl = new FlowControl(1, workers, timers, Duration.ofMillis(1));
        flowControl.configure(List.of(schemaFor("jane", "one", 500)), List.of(oneSeatOneQueue("one", "Queue")));
        CountDownLatch release = new CountDownLatch(1);
        Outcome first = new Outcome();
        Outcome second = new Outcome();
        workers.execute(() -> handle(flowControl, first, release));
        assertThat(first.served.await(1, TimeUnit.MINUTES)).isTrue();
        handle(flowControl, second, new CountDownLatch(0));
        await().atMost(Duration.ofMinutes(1)).until(() -> second.status == 429);
        assertThat(second.served.getCount()).isEqualTo(1);
        release.countDown();
        assertThat(flowControl.dumpPriorityLevels()).contains("one, 0, ");
    }

    @Test
    void exemptRequestsAlwaysRun() {
        FlowControl flowControl = bootstrapped();
        AtomicInteger ran = new AtomicInteger();
        UserInfo admin = UserInfo.of("admin", UserInfo.SYSTEM_MASTERS);
        Outcome outcome = new Outcome();
        for (int i = 0; i < 1000; i++) {
            // each holds its seat for good (never released): an exempt level does not count them against a limit
            flowControl.classify(admin, GET_PODS, "get", "/").level().tryTakeSeat();
        }
        flowControl.handle("GET", "/", GET_PODS, admin, outcome, sink -> ran.incrementAndGet());
        assertThat(ran).hasValue(1);
    }

    @Test
    void shuffleShardingDealsDistinctQueuesAndSpreadsFlows() {
        PriorityLevel level = new PriorityLevel("spread");
        level.configure("", false, false, 0, 8, 3, 100);
        // no seats: everything queues; 8 flows of 3 requests each
        for (int flow = 0; flow < 8; flow++) {
            for (int i = 0; i < 3; i++) {
                assertThat(level.enqueue(new PriorityLevel.Waiting(FlowControl.flowHash("s", "user" + flow), () -> {
                }))).isEmpty();
            }
        }
        assertThat(level.waiting()).isEqualTo(24);
        // the shortest queue of each hand is taken, so several queues are in use
        assertThat(level.activeQueues()).isGreaterThan(1);
    }
}

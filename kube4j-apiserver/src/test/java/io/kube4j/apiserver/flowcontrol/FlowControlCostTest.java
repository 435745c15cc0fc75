package io.kube4j.apiserver.flowcontrol;

import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.endpoints.RequestInfo;
import io.kube4j.apiserver.http.ResponseSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What classification and dispatch cost per request, in thread CPU time and allocated bytes (not wall-clock time,
 * which a shared machine makes meaningless): printed for the record; the test holds classification to no
 * allocation at all, since it runs on every request.
 */
class FlowControlCostTest {

    private static final int CALLS = 100_000;

    private final ExecutorService workers = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timers.shutdownNow();
    }

    private static final ResponseSink NOWHERE = new ResponseSink() {
        @Override
        public void send(int status, String contentType, byte[] body, Map<String, String> headers) {
        }

        @Override
        public StreamWriter stream(int status, String contentType, Map<String, String> headers) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void classificationAllocatesNothing() {
        FlowControl flowControl = new FlowControl(FlowControl.DEFAULT_CONCURRENCY_LIMIT, workers, timers,
                FlowControl.DEFAULT_MAX_WAIT);
        List<ObjectNode> schemas = new ArrayList<>(BootstrapConfiguration.mandatoryFlowSchemas());
        schemas.addAll(BootstrapConfiguration.suggestedFlowSchemas());
        List<ObjectNode> levels = new ArrayList<>(BootstrapConfiguration.mandatoryPriorityLevels());
        levels.addAll(BootstrapConfiguration.suggestedPriorityLevels());
        flowControl.configure(schemas, levels);
        // a user no earlier schema matches walks all thirteen to global-default: the costliest ordinary case
        UserInfo jane = UserInfo.of("jane", "developers", UserInfo.ALL_AUTHENTICATED);
        RequestInfo get = new RequestInfo("get", "", "v1", "default", "configmaps", "c", null);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();

        long[] sink = {0};
        for (int round = 0; round < 2; round++) { // the first round warms up
            long cpu = threads.getCurrentThreadCpuTime();
            long bytes = threads.getThreadAllocatedBytes(tid);
            for (int i = 0; i < CALLS; i++) {
                sink[0] += flowControl.classify(jane, get, "get", "/").schema().precedence;
            }
            long classifyCpu = threads.getCurrentThreadCpuTime() - cpu;
            long classifyBytes = threads.getThreadAllocatedBytes(tid) - bytes;

            cpu = threads.getCurrentThreadCpuTime();
            bytes = threads.getThreadAllocatedBytes(tid);
            for (int i = 0; i < CALLS; i++) {
                flowControl.handle("GET", "/api/v1/namespaces/default/configmaps/c", get, jane, NOWHERE,
                        seated -> sink[0]++);
            }
            long handleCpu = threads.getCurrentThreadCpuTime() - cpu;
            long handleBytes = threads.getThreadAllocatedBytes(tid) - bytes;
            if (round == 1) {
                System.out.printf("APF classify: %.0f ns CPU, %.1f B per call; classify+dispatch: %.0f ns CPU, "
                                + "%.1f B per call (%d calls)%n", (double) classifyCpu / CALLS,
                        (double) classifyBytes / CALLS, (double) handleCpu / CALLS, (double) handleBytes / CALLS,
                        CALLS);
                assertThat((double) classifyBytes / CALLS).isLessThan(1.0);
            }
        }
        assertThat(sink[0]).isPositive();
    }
}

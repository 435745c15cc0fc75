package io.kube4j.apiserver.resourcemetrics;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UsageStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** One kubelet answer: node and the containers of pod x/busy, with counters at {@code seconds}. */
    private static NodeScrape scrape(long atMillis, double nodeCpu, double appCpu, String extraContainer) {
        String text = "node_cpu_usage_seconds_total " + nodeCpu + " " + atMillis + "\n"
                + "node_memory_working_set_bytes 1048576 " + atMillis + "\n"
                + "container_cpu_usage_seconds_total{container=\"app\",namespace=\"x\",pod=\"busy\"} " + appCpu
                + " " + atMillis + "\n"
                + "container_memory_working_set_bytes{container=\"app\",namespace=\"x\",pod=\"busy\"} 2048 "
                + atMillis + "\n"
                + (extraContainer == null ? "" : "container_cpu_usage_seconds_total{container=\"" + extraContainer
                + "\",namespace=\"x\",pod=\"busy\"} 1 " + atMillis + "\n"
                + "container_memory_working_set_bytes{container=\"" + extraContainer
                + "\",namespace=\"x\",pod=\"busy\"} 1024 " + atMillis + "\n");
        return NodeScrape.from(PrometheusText.parse(text), T0);
    }

    @Test
    void nothingIsPresentUntilTheSecondScrape() {
        UsageStore store = new UsageStore();
        long t = T0.toEpochMilli();

        store.record("n1", scrape(t, 10, 1, null));
        assertThat(store.node("n1")).isEmpty();
        assertThat(store.pod("x", "busy")).isEmpty();

        store.record("n1", scrape(t + 2000, 11, 1.5, null));
        assertThat(store.node("n1")).get().extracting(u -> u.cpu().toString()).isEqualTo("500m");
        assertThat(store.pod("x", "busy")).get()
                .extracting(p -> p.containers().get("app").cpu().toString()).isEqualTo("250m");
        assertThat(store.pods()).containsOnlyKeys("x/busy");
    }

    @Test
    void aPodWithAContainerSeenOnlyOnceIsAbsent() {
        UsageStore store = new UsageStore();
        long t = T0.toEpochMilli();

        store.record("n1", scrape(t, 10, 1, null));
        store.record("n1", scrape(t + 1000, 11, 2, "sidecar"));

        assertThat(store.pod("x", "busy")).isEmpty();
        assertThat(store.node("n1")).isPresent();

        store.record("n1", scrape(t + 2000, 12, 3, "sidecar"));
        assertThat(store.pod("x", "busy")).get().extracting(p -> p.containers().keySet())
                .isEqualTo(Set.of("app", "sidecar"));
    }

    @Test
    void samplesWithoutTimestampsTakeTheScrapeTime() {
        NodeScrape scrape = NodeScrape.from(PrometheusText.parse(
                "node_cpu_usage_seconds_total 1\nnode_memory_working_set_bytes 2\n"), T0);

        assertThat(scrape.node()).isEqualTo(new CumulativePoint(1_000_000_000L, 2, T0));
    }

    @Test
    void forgetsNodesThatAreGone() {
        UsageStore store = new UsageStore();
        long t = T0.toEpochMilli();
        store.record("n1", scrape(t, 10, 1, null));
        store.record("n1", scrape(t + 1000, 11, 2, null));

        store.retainNodes(Set.of("n2"));

        assertThat(store.node("n1")).isEmpty();
        assertThat(store.pods()).isEmpty();
    }
}

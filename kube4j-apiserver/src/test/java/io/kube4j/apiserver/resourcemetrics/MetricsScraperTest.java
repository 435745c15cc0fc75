package io.kube4j.apiserver.resourcemetrics;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsScraperTest {

    private final List<ObjectNode> nodes = new ArrayList<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final UsageStore store = new UsageStore();
    private int round;

    private final KubeletReader kubelets = (node, path) -> {
        String name = Json.text(node, "metadata", "name");
        asked.add(name + path);
        if (name.equals("broken")) {
            throw new IOException("connection refused");
        }
        long at = 1_700_000_000_000L + round * 1000L;
        return ("node_cpu_usage_seconds_total " + round + " " + at + "\nnode_memory_working_set_bytes 1024 " + at
                + "\n").getBytes(StandardCharsets.UTF_8);
    };

    private final MetricsScraper scraper = new MetricsScraper(() -> nodes, kubelets, store,
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    private static ObjectNode node(String name, String ready) {
        ObjectNode node = Json.object();
        node.putObject("metadata").put("name", name);
        if (ready != null) {
            node.putObject("status").putArray("conditions").addObject().put("type", "Ready").put("status", ready);
        }
        return node;
    }

    private void scrape() {
        round++;
        scraper.scrapeOnce();
    }

    @Test
    void readsOnlyReadyNodesAndSkipsKubeletsThatFail() {
        nodes.addAll(List.of(node("ok", "True"), node("broken", "True"), node("notready", "False"),
                node("unknown", null)));

        scrape();
        scrape();

        assertThat(asked).containsOnly("ok/metrics/resource", "broken/metrics/resource");
        assertThat(store.node("ok")).get().extracting(Usage::nanoCores).isEqualTo(1_000_000_000L);
        assertThat(store.node("broken")).isEmpty();
    }

    @Test
    void aNodeThatStopsBeingReadyIsForgotten() {
        nodes.add(node("ok", "True"));
        scrape();
        scrape();
        assertThat(store.node("ok")).isPresent();

        nodes.set(0, node("ok", "Unknown"));
        scrape();

        assertThat(store.node("ok")).isEmpty();
    }
}

package io.kube4j.apiserver.resourcemetrics;

import io.kube4j.apiserver.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Scrapes every Ready node's kubelet {@code /metrics/resource} at a fixed resolution (the API server's
 * {@code metricResolution}, metrics-server's 15 s by default) into a {@link UsageStore}. A kubelet that does not
 * answer is skipped until the next round: usage is best effort and never fails a request.
 */
public final class MetricsScraper implements AutoCloseable {

    static final String PATH = "/metrics/resource";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsScraper.class);

    private final Supplier<List<ObjectNode>> nodes;
    private final KubeletReader kubelets;
    private final UsageStore store;
    private final Clock clock;
    private ScheduledExecutorService timer;

    public MetricsScraper(Supplier<List<ObjectNode>> nodes, KubeletReader kubelets, UsageStore store, Clock clock) {
        this.nodes = nodes;
        this.kubelets = kubelets;
        this.store = store;
        this.clock = clock;
    }

    /** Scrapes now and then every {@code resolution}, on a thread of its own (a slow kubelet delays only this). */
    public synchronized void start(Duration resolution) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "resource-metrics-scraper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::scrapeQuietly, 0, resolution.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round over all Ready nodes. */
    public void scrapeOnce() {
        Set<String> ready = new HashSet<>();
        for (ObjectNode node : nodes.get()) {
            String name = Json.text(node, "metadata", "name");
            if (name == null || !isReady(node)) {
                continue;
            }
            ready.add(name);
            try {
                byte[] body = kubelets.get(node, PATH);
                NodeScrape scrape = NodeScrape.from(PrometheusText.parse(new String(body, StandardCharsets.UTF_8)),
                        clock.instant());
                store.record(name, scrape);
            } catch (IOException | RuntimeException e) {
                LOG.debug("skipping node {}: its kubelet's {} could not be read: {}", name, PATH, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        store.retainNodes(ready);
    }

    private void scrapeQuietly() {
        try {
            scrapeOnce();
        } catch (RuntimeException e) {
            LOG.debug("resource metrics scrape failed; retrying at the next round", e);
        }
    }

    static boolean isReady(ObjectNode node) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asString())) {
                return "True".equals(c.path("status").asString());
            }
        }
        return false;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}

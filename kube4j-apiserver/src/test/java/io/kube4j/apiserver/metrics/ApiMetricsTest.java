package io.kube4j.apiserver.metrics;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiMetricsTest {

    private static final long MS = 1_000_000L;

    @Test
    void countsRequestsByVerbResourceAndCode() {
        ApiMetrics metrics = new ApiMetrics(() -> 0, Map::of);
        metrics.record("GET", "", "v1", "pods", "", 200, MS);
        metrics.record("GET", "", "v1", "pods", "", 200, MS);
        metrics.record("GET", "", "v1", "pods", "", 404, MS);
        metrics.record("PUT", "apps", "v1", "deployments", "status", 200, MS);
        String text = metrics.render();
        assertThat(text).contains("apiserver_request_total{verb=\"GET\",group=\"\",version=\"v1\",resource=\"pods\","
                + "subresource=\"\",code=\"200\"} 2\n");
        assertThat(text).contains("apiserver_request_total{verb=\"GET\",group=\"\",version=\"v1\",resource=\"pods\","
                + "subresource=\"\",code=\"404\"} 1\n");
        assertThat(text).contains("apiserver_request_total{verb=\"PUT\",group=\"apps\",version=\"v1\","
                + "resource=\"deployments\",subresource=\"status\",code=\"200\"} 1\n");
    }

    @Test
    void histogramBucketsAreCumulative() {
        ApiMetrics metrics = new ApiMetrics(() -> 0, Map::of);
        metrics.record("LIST", "", "v1", "configmaps", "", 200, 3 * MS);    // le 0.005
        metrics.record("LIST", "", "v1", "configmaps", "", 200, 20 * MS);   // le 0.025
        metrics.record("LIST", "", "v1", "configmaps", "", 200, 90_000 * MS); // only +Inf
        String base = "apiserver_request_duration_seconds_bucket{verb=\"LIST\",group=\"\",version=\"v1\","
                + "resource=\"configmaps\",subresource=\"\",le=";
        String text = metrics.render();
        assertThat(text).contains(base + "\"0.005\"} 1\n", base + "\"0.01\"} 1\n", base + "\"0.025\"} 2\n",
                base + "\"1\"} 2\n", base + "\"1.25\"} 2\n", base + "\"60\"} 2\n", base + "\"+Inf\"} 3\n");
        // client_golang prints every bound and sum with Go's shortest 'g' formatting, never Java's "1.0"
        assertThat(text).doesNotContainPattern("le=\"\\d+\\.0\"").contains("apiserver_request_duration_seconds_sum{"
                + "verb=\"LIST\",group=\"\",version=\"v1\",resource=\"configmaps\",subresource=\"\"} 90.023\n");
        assertThat(text).contains("apiserver_request_duration_seconds_count{verb=\"LIST\",group=\"\",version=\"v1\","
                + "resource=\"configmaps\",subresource=\"\"} 3\n");
    }

    @Test
    void watchesAreCountedNotTimed() {
        ApiMetrics metrics = new ApiMetrics(() -> 7, Map::of);
        metrics.record("WATCH", "", "v1", "pods", "", 200, 60_000 * MS);
        metrics.watchStarted("", "pods");
        String text = metrics.render();
        assertThat(text).doesNotContain("apiserver_request_duration_seconds_bucket{verb=\"WATCH\"");
        assertThat(text).contains("apiserver_longrunning_requests{verb=\"WATCH\"} 7\n",
                "apiserver_registered_watchers_total{group=\"\",resource=\"pods\"} 1\n");
    }

    @Test
    void storedObjectsAndTheProcessAreReported() {
        ApiMetrics metrics = new ApiMetrics(() -> 0, () -> new java.util.TreeMap<>(Map.of("pods", 3,
                "deployments.apps", 1)));
        String text = metrics.render();
        assertThat(text).contains("# TYPE apiserver_storage_objects gauge\n",
                "apiserver_storage_objects{resource=\"pods\"} 3\n",
                "apiserver_storage_objects{resource=\"deployments.apps\"} 1\n",
                "# TYPE process_cpu_seconds_total counter\n", "# TYPE process_start_time_seconds gauge\n");
        // a float64 sample from 1e+06 up prints with an exponent, as upstream's 9.8787328e+07
        assertThat(text).containsPattern("\nprocess_resident_memory_bytes [1-9](\\.[0-9]+)?e\\+[0-9]{2}\n")
                .containsPattern("\nprocess_open_fds [1-9][0-9]*\n");
    }

    @Test
    void requestsInFlightAreCountedByUpstreamsRequestKind() {
        AtomicLong clock = new AtomicLong();
        ApiMetrics metrics = new ApiMetrics(() -> 0, Map::of, new InflightWatermark(clock::get),
                new InflightWatermark(clock::get));
        for (String verb : new String[]{"get", "list", "watch", "create", "update", "patch", "delete",
                "deletecollection", "POST"}) {
            metrics.inflight(verb).enter();
        }
        metrics.inflight("create").exit();
        metrics.inflight("delete").exit();
        // the highest count of the last whole second: the second that just ended
        clock.set(1_000 * MS);
        assertThat(metrics.render()).contains("# TYPE apiserver_current_inflight_requests gauge\n",
                "apiserver_current_inflight_requests{request_kind=\"mutating\"} 6\n",
                "apiserver_current_inflight_requests{request_kind=\"readOnly\"} 3\n");
    }
}

package io.kube4j.kubelet.metrics;

import io.kube4j.kubelet.metrics.CadvisorPage.Machine;
import io.kube4j.kubelet.metrics.CadvisorPage.Series;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The /metrics/cadvisor page: upstream's family names, help, types, label order and timestamps. */
class CadvisorPageTest {
    private static final long NOW = 1_700_000_000_123L;
    private static final Machine MACHINE = new Machine(2, 8_589_934_592L, "boot-1", "machine-1", "");

    private static final Series POD = new Series("", "/kubepods/burstable/podu1", "", "", "ns", "web",
            1.5, 20_971_520, 10_485_760, null, 1_699_999_000.0, 1_700_000_000_000L);
    private static final Series APP = new Series("app", "/kubepods/burstable/podu1/c1", "busybox:1.36", "c1", "ns", "web",
            0.25, 16_777_216, 8_388_608, 4_194_304L, 1_699_999_500.0, 1_700_000_000_100L);

    @Test
    void writesTheCoreFamiliesInNameOrderWithUpstreamsLabels() {
        String page = CadvisorPage.render(List.of(POD, APP), MACHINE, false, NOW);

        assertThat(page.lines().filter(l -> l.startsWith("# TYPE ")).toList()).containsExactly(
                "# TYPE container_cpu_usage_seconds_total counter",
                "# TYPE container_last_seen gauge",
                "# TYPE container_memory_rss gauge",
                "# TYPE container_memory_usage_bytes gauge",
                "# TYPE container_memory_working_set_bytes gauge",
                "# TYPE container_scrape_error gauge",
                "# TYPE container_start_time_seconds gauge",
                "# TYPE machine_cpu_cores gauge",
                "# TYPE machine_memory_bytes gauge");
        assertThat(page).contains("# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.\n")
                .contains("# HELP container_memory_working_set_bytes Current working set in bytes.\n")
                .contains("# HELP machine_memory_bytes Amount of memory installed on the machine.\n");
        assertThat(page.lines()).contains(
                "container_cpu_usage_seconds_total{container=\"app\",cpu=\"total\",id=\"/kubepods/burstable/podu1/c1\","
                        + "image=\"busybox:1.36\",name=\"c1\",namespace=\"ns\",pod=\"web\"} 0.25 1700000000100",
                "container_cpu_usage_seconds_total{container=\"\",cpu=\"total\",id=\"/kubepods/burstable/podu1\","
                        + "image=\"\",name=\"\",namespace=\"ns\",pod=\"web\"} 1.5 1700000000000",
                "container_memory_working_set_bytes{container=\"app\",id=\"/kubepods/burstable/podu1/c1\","
                        + "image=\"busybox:1.36\",name=\"c1\",namespace=\"ns\",pod=\"web\"} 8388608 1700000000100",
                "container_memory_usage_bytes{container=\"\",id=\"/kubepods/burstable/podu1\",image=\"\",name=\"\","
                        + "namespace=\"ns\",pod=\"web\"} 20971520 1700000000000",
                "container_last_seen{container=\"app\",id=\"/kubepods/burstable/podu1/c1\",image=\"busybox:1.36\","
                        + "name=\"c1\",namespace=\"ns\",pod=\"web\"} 1700000000 1700000000123",
                "container_start_time_seconds{container=\"app\",id=\"/kubepods/burstable/podu1/c1\","
                        + "image=\"busybox:1.36\",name=\"c1\",namespace=\"ns\",pod=\"web\"} 1699999500 1700000000100",
                "container_scrape_error 0",
                "machine_cpu_cores{boot_id=\"boot-1\",machine_id=\"machine-1\",system_uuid=\"\"} 2 1700000000123",
                "machine_memory_bytes{boot_id=\"boot-1\",machine_id=\"machine-1\",system_uuid=\"\"} 8589934592 1700000000123");
        // a figure the runtime did not report is left out, not written as 0
        assertThat(page.lines().filter(l -> l.startsWith("container_memory_rss{")).toList()).singleElement()
                .satisfies(l -> assertThat(l).contains("container=\"app\"").endsWith(" 4194304 1700000000100"));
    }

    @Test
    void aFailedReadingIsAScrapeErrorAndLabelValuesAreEscaped() {
        Series odd = new Series("app", "/kubepods/podu2/c2", "reg.example/a\"b\\c", "c2", "ns", "p", 0, 0, 0, 0L, 0, NOW);

        String page = CadvisorPage.render(List.of(odd), MACHINE, true, NOW);

        assertThat(page.lines()).contains("container_scrape_error 1");
        assertThat(page).contains("image=\"reg.example/a\\\"b\\\\c\"");
    }
}

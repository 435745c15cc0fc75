package io.kube4j.apiserver.resourcemetrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {

    @Test
    void readsSamplesWithLabelsAndTimestampsAndSkipsComments() {
        String text = """
                # HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time
                # TYPE node_cpu_usage_seconds_total counter
                node_cpu_usage_seconds_total 12.500000000 1700000000123
                container_cpu_usage_seconds_total{container="app",namespace="x",pod="busy"} 0.25 1700000000456
                scrape_error 0
                """;

        List<PrometheusText.Sample> samples = PrometheusText.parse(text);

        assertThat(samples).containsExactly(
                new PrometheusText.Sample("node_cpu_usage_seconds_total", Map.of(), 12.5, 1700000000123L),
                new PrometheusText.Sample("container_cpu_usage_seconds_total",
                        Map.of("container", "app", "namespace", "x", "pod", "busy"), 0.25, 1700000000456L),
                new PrometheusText.Sample("scrape_error", Map.of(), 0, -1));
    }

    @Test
    void unescapesLabelValuesAndReadsSpecialValues() {
        PrometheusText.Sample sample = PrometheusText.parseLine(
                "m{a=\"quote \\\" and comma, brace } here\",b=\"line\\nbreak\",} +Inf");

        assertThat(sample.labels()).containsEntry("a", "quote \" and comma, brace } here")
                .containsEntry("b", "line\nbreak");
        assertThat(sample.value()).isInfinite();
        assertThat(PrometheusText.parseLine("m NaN").value()).isNaN();
    }

    @Test
    void skipsMalformedLinesButKeepsTheOthers() {
        String text = """
                broken{a="x" 1
                nolabelsvalue
                bad_value{a="x"} twelve
                too_many 1 2 3
                good 7
                """;

        assertThat(PrometheusText.parse(text)).extracting(PrometheusText.Sample::name).containsExactly("good");
    }
}

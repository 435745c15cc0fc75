package io.kube4j.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --metric-resolution: how often the API server scrapes the kubelets for metrics.k8s.io (metrics-server's flag). */
class MetricsOptionsTest {

    private static MetricsOptions server(String... args) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.metrics;
    }

    private static MetricsOptions apiserver(String... args) {
        ApiServerCommand command = new ApiServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.metrics;
    }

    @Test
    void metricsServersFifteenSecondsByDefault() {
        assertThat(server().resolution()).isEqualTo(Duration.ofSeconds(15));
        assertThat(apiserver().resolution()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void goDurationsAreTaken() {
        assertThat(server("--metric-resolution", "3s").resolution()).isEqualTo(Duration.ofSeconds(3));
        assertThat(server("--metric-resolution=1m30s").resolution()).isEqualTo(Duration.ofSeconds(90));
        assertThat(apiserver("--metric-resolution", "1500ms").resolution()).isEqualTo(Duration.ofMillis(1500));
        assertThat(apiserver("--metric-resolution", "1s").resolution()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aMalformedOrTooShortResolutionIsRefusedWithTheFlagsName() {
        for (String bad : new String[] {"15", "fast", "0", "-5s", "999ms", ""}) {
            assertThatThrownBy(() -> server("--metric-resolution", bad).resolution()).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--metric-resolution " + bad + " is not a duration of at least 1s, such as 15s or 1m");
        }
    }

    @Test
    void anAgentHasNoSuchFlagItsKubeletIsScrapedByTheServer() {
        assertThatThrownBy(() -> new CommandLine(new AgentCommand()).parseArgs("--server", "https://127.0.0.1:6443",
                "--data-dir", "/tmp/x", "--metric-resolution", "3s"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class)
                .hasMessageContaining("--metric-resolution");
    }
}

package io.kube4j.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiServingOptionsTest {

    @Command(name = "test")
    static final class Holder {
        @Mixin
        ApiServingOptions serving;
    }

    private static ApiServingOptions parse(String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.serving;
    }

    @Test
    void theConcurrencyLimitIsUpstreamsSumOfTheInflightLimits() {
        assertThat(parse().concurrencyLimit()).isEqualTo(600);
        assertThat(parse("--max-requests-inflight", "10", "--max-mutating-requests-inflight", "5")
                .concurrencyLimit()).isEqualTo(15);
        assertThat(parse("--max-requests-inflight", "0", "--max-mutating-requests-inflight", "1")
                .concurrencyLimit()).isEqualTo(1);
    }

    @Test
    void limitsThatLeaveNoSeatAreRefusedNamingBothFlags() {
        assertThatThrownBy(() -> parse("--max-requests-inflight", "0", "--max-mutating-requests-inflight", "0")
                .concurrencyLimit()).hasMessageContaining("--max-requests-inflight (0)")
                .hasMessageContaining("--max-mutating-requests-inflight (0)");
        assertThatThrownBy(() -> parse("--max-requests-inflight", "-1").concurrencyLimit())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPortOutsideTcpsRangeIsRefused() {
        assertThat(parse("--port", "6443").checkedPort()).isEqualTo(6443);
        assertThatThrownBy(() -> parse("--port", "70000").checkedPort()).hasMessageContaining("--port 70000");
    }
}

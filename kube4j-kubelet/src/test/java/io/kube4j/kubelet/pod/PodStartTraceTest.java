package io.kube4j.kubelet.pod;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PodStartTraceTest {

    @Test
    void listsEachStepInOrderWithItsOwnDuration() throws InterruptedException {
        PodStartTrace trace = new PodStartTrace();
        trace.mark("queued");
        Thread.sleep(30);
        trace.mark("sandbox");
        trace.mark("create");

        String summary = trace.finish();

        assertThat(summary).matches("queued \\d+, sandbox \\d+, create \\d+");
        // the sandbox step holds the 30 ms slept before it, not the time since the pod was seen
        long sandbox = Long.parseLong(summary.replaceAll(".*sandbox (\\d+).*", "$1"));
        assertThat(sandbox).isGreaterThanOrEqualTo(29);
        assertThat(trace.elapsedMillis()).isGreaterThanOrEqualTo(sandbox);
    }

    @Test
    void recordsNothingOnceFinished() {
        PodStartTrace trace = new PodStartTrace();
        trace.mark("read");
        trace.finish();

        trace.mark("status");

        assertThat(trace.finish()).isEqualTo(trace.finish()).doesNotContain("status");
    }

    @Test
    void keepsABoundedNumberOfSteps() {
        PodStartTrace trace = new PodStartTrace();
        for (int i = 0; i < 1000; i++) {
            trace.mark("retry");
        }

        assertThat(trace.finish().split(", ")).hasSize(64);
    }
}

package io.kube4j.controllers.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.controllers.podautoscaler.PodSample.State;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaCalculatorTest {
    private final ReplicaCalculator calc = new ReplicaCalculator(ReplicaCalculator.DEFAULT_TOLERANCE);

    @Test
    void scalesUpByTheUsageRatio() throws Exception {
        // 3 pods at 90% of a 1-cpu request against a 50% target: ceil(3 * 1.8) = 6.
        var r = calc.forUtilization(3, 50, "cpu", List.of(PodSample.ready("a", 900, 1000),
                PodSample.ready("b", 900, 1000), PodSample.ready("c", 900, 1000)));
        assertThat(r.replicas()).isEqualTo(6);
        assertThat(r.currentUtilization()).isEqualTo(90);
    }

    @Test
    void scalesDownByTheUsageRatio() throws Exception {
        var r = calc.forUtilization(4, 50, "cpu", List.of(PodSample.ready("a", 100, 1000),
                PodSample.ready("b", 100, 1000), PodSample.ready("c", 100, 1000), PodSample.ready("d", 100, 1000)));
        assertThat(r.replicas()).isEqualTo(1);
    }

    @Test
    void staysWithinTolerance() throws Exception {
        // 54% against 50%: ratio 1.08, inside the 0.1 band.
        var r = calc.forUtilization(2, 50, "cpu", List.of(PodSample.ready("a", 540, 1000), PodSample.ready("b", 540, 1000)));
        assertThat(r.replicas()).isEqualTo(2);
        // 56%: ratio 1.12, outside.
        var r2 = calc.forUtilization(2, 50, "cpu", List.of(PodSample.ready("a", 560, 1000), PodSample.ready("b", 560, 1000)));
        assertThat(r2.replicas()).isEqualTo(3);
    }

    /**
     * Upstream's tolerance check is inclusive ({@code |1 - ratio| <= tolerance}); 0.25 is exact in binary, so the
     * boundary is the boundary (0.1 is not: 55% against 50% is a hair over it, in Go as here).
     */
    @Test
    void aRatioExactlyTheToleranceAwayChangesNothingEitherWay() throws Exception {
        ReplicaCalculator quarter = new ReplicaCalculator(0.25);
        assertThat(quarter.forUtilization(4, 100, "cpu", pods(4, 1250, 1000)).replicas()).isEqualTo(4);
        assertThat(quarter.forUtilization(4, 100, "cpu", pods(4, 1260, 1000)).replicas()).isEqualTo(6);
        assertThat(quarter.forUtilization(4, 100, "cpu", pods(4, 750, 1000)).replicas()).isEqualTo(4);
        assertThat(quarter.forUtilization(4, 100, "cpu", pods(4, 740, 1000)).replicas()).isEqualTo(3);
    }

    /** An averageValue target compares the mean truncated to whole milli-units, as upstream's integer division. */
    @Test
    void theAverageIsTruncatedToMilliUnitsBeforeTheToleranceCheck() throws Exception {
        ReplicaCalculator quarter = new ReplicaCalculator(0.25);
        // 376 / 3 = 125.33: truncated to 125, exactly 1.25 times the target, within the tolerance
        var r = quarter.forAverageValue(3, 100, List.of(PodSample.ready("a", 125, 0), PodSample.ready("b", 125, 0),
                PodSample.ready("c", 126, 0)));
        assertThat(r.replicas()).isEqualTo(3);
        assertThat(r.currentAverageMilli()).isEqualTo(125);
        // 200m, 200m and 201m of a 1-cpu request: 200% (utilization truncates too), the raw average 200m
        var u = calc.forUtilization(3, 50, "cpu", List.of(PodSample.ready("a", 2000, 1000),
                PodSample.ready("b", 2000, 1000), PodSample.ready("c", 2002, 1000)));
        assertThat(u.currentUtilization()).isEqualTo(200);
        assertThat(u.currentAverageMilli()).isEqualTo(2000);
    }

    private static List<PodSample> pods(int n, long usage, long request) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> PodSample.ready("p" + i, usage, request)).toList();
    }

    @Test
    void missingPodsCountAsAtTargetWhenScalingDown() throws Exception {
        // Reported pods idle at 10%; the missing one is assumed at 100% of its request, which damps the scale-down.
        var r = calc.forUtilization(3, 50, "cpu", List.of(PodSample.ready("a", 100, 1000), PodSample.ready("b", 100, 1000),
                new PodSample("c", State.READY, null, 1000L)));
        // (100+100+1000)/3000 = 40% -> ratio 0.8 -> ceil(0.8*3) = 3
        assertThat(r.replicas()).isEqualTo(3);
        var noMissing = calc.forUtilization(3, 50, "cpu", List.of(PodSample.ready("a", 100, 1000),
                PodSample.ready("b", 100, 1000)));
        assertThat(noMissing.replicas()).isEqualTo(1);
    }

    @Test
    void missingPodsCountAsIdleWhenScalingUp() throws Exception {
        // Reported at 100% vs 50% target; missing pod as 0: (1000+1000+0)/3000 = 66% -> ratio 1.33 -> ceil(4) = 4.
        var r = calc.forUtilization(3, 50, "cpu", List.of(PodSample.ready("a", 1000, 1000), PodSample.ready("b", 1000, 1000),
                new PodSample("c", State.READY, null, 1000L)));
        assertThat(r.replicas()).isEqualTo(4);
    }

    @Test
    void unreadyPodsCountAsIdleOnlyForAScaleUp() throws Exception {
        var up = calc.forUtilization(3, 50, "cpu", List.of(PodSample.ready("a", 1000, 1000),
                new PodSample("b", State.UNREADY, 1000L, 1000L), new PodSample("c", State.UNREADY, null, 1000L)));
        // a at 100%, b and c as 0: 1000/3000 = 33% -> ratio 0.66 flips the direction: no change.
        assertThat(up.replicas()).isEqualTo(3);
        var down = calc.forUtilization(3, 50, "cpu", List.of(PodSample.ready("a", 100, 1000),
                new PodSample("b", State.UNREADY, 1000L, 1000L)));
        // Scale-down uses only the ready pod: 10% -> ratio 0.2 -> ceil(0.2 * 1) = 1.
        assertThat(down.replicas()).isEqualTo(1);
    }

    @Test
    void ignoredPodsAreLeftOut() throws Exception {
        var r = calc.forUtilization(2, 50, "cpu", List.of(PodSample.ready("a", 1000, 1000),
                new PodSample("gone", State.IGNORED, 0L, null)));
        assertThat(r.replicas()).isEqualTo(2);
    }

    @Test
    void averageValueTargets() throws Exception {
        // 2 pods using 300Mi each against a 100Mi average target: 6 replicas.
        long mi = 1024L * 1024 * 1000;
        var r = calc.forAverageValue(2, 100 * mi, List.of(PodSample.ready("a", 300 * mi, 0), PodSample.ready("b", 300 * mi, 0)));
        assertThat(r.replicas()).isEqualTo(6);
        assertThat(r.currentAverageMilli()).isEqualTo(300 * mi);
    }

    @Test
    void failsWithoutPodsMetricsOrRequests() {
        assertThatThrownBy(() -> calc.forUtilization(1, 50, "cpu", List.of()))
                .hasMessage("no pods returned by selector while calculating replica count");
        assertThatThrownBy(() -> calc.forUtilization(1, 50, "cpu", List.of(new PodSample("a", State.UNREADY, null, 100L))))
                .hasMessageContaining("did not receive metrics for targeted pods");
        assertThatThrownBy(() -> calc.forUtilization(1, 50, "cpu", List.of(new PodSample("a", State.READY, 10L, null, "c"))))
                .hasMessage("missing request for cpu in container c of Pod a");
    }
}

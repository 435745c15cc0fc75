package io.kube4j.controllers.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaNormalizerTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final ScaleBehavior defaults = ScaleBehavior.defaults();

    @Test
    void scaleDownWaitsForTheStabilizationWindow() {
        ScaleHistory h = new ScaleHistory();
        assertThat(ReplicaNormalizer.normalize(5, 5, 1, 10, defaults, h, t0).replicas()).isEqualTo(5);
        NormalizedReplicas down = ReplicaNormalizer.normalize(5, 2, 1, 10, defaults, h, t0.plusSeconds(60));
        assertThat(down.replicas()).isEqualTo(5);
        assertThat(down.stabilizationReason()).isEqualTo("ScaleDownStabilized");
        // 299 s after the recommendation of 5 it still holds; after 300 s it has left the window.
        assertThat(ReplicaNormalizer.normalize(5, 2, 1, 10, defaults, h, t0.plusSeconds(299)).replicas()).isEqualTo(5);
        assertThat(ReplicaNormalizer.normalize(5, 2, 1, 10, defaults, h, t0.plusSeconds(301)).replicas()).isEqualTo(2);
    }

    /** Upstream names the stabilization by the recommendation against the current count: up when not below it. */
    @Test
    void aScaleUpHeldByItsWindowSaysScaleUpStabilized() {
        ScaleBehavior slowUp = new ScaleBehavior(new ScaleBehavior.Rules(60, ScaleBehavior.DEFAULT_SCALE_UP.policies(),
                "Max"), ScaleBehavior.DEFAULT_SCALE_DOWN);
        ScaleHistory h = new ScaleHistory();
        assertThat(ReplicaNormalizer.normalize(3, 3, 1, 10, slowUp, h, t0).stabilizationReason())
                .isEqualTo("ReadyForNewScale");
        NormalizedReplicas up = ReplicaNormalizer.normalize(3, 6, 1, 10, slowUp, h, t0.plusSeconds(10));
        assertThat(up.replicas()).isEqualTo(3);
        assertThat(up.stabilizationReason()).isEqualTo("ScaleUpStabilized");
        assertThat(up.stabilizationMessage())
                .isEqualTo("recent recommendations were lower than current one, applying the lowest recent recommendation");
        // a recommendation equal to the current count, under a higher recent one, is not held: nothing to stabilize
        NormalizedReplicas even = ReplicaNormalizer.normalize(3, 3, 1, 10, defaults, h, t0.plusSeconds(20));
        assertThat(even.replicas()).isEqualTo(3);
        assertThat(even.stabilizationReason()).isEqualTo("ReadyForNewScale");
    }

    /** Without spec.behavior: the highest recommendation of the window, then at most max(2 x current, 4). */
    @Test
    void withoutABehaviorUpstreamsOlderRulesApply() {
        Duration window = Duration.ofSeconds(300);
        ScaleHistory h = new ScaleHistory();
        NormalizedReplicas up = ReplicaNormalizer.normalizeWithoutBehavior(2, 20, 1, 50, h, t0, window);
        assertThat(up.replicas()).isEqualTo(4);
        assertThat(up.limitReason()).isEqualTo("ScaleUpLimit");
        assertThat(up.stabilizationReason()).isEqualTo("ReadyForNewScale");
        assertThat(ReplicaNormalizer.normalizeWithoutBehavior(10, 20, 1, 50, h, t0.plusSeconds(1), window).replicas())
                .isEqualTo(20);
        NormalizedReplicas capped = ReplicaNormalizer.normalizeWithoutBehavior(10, 40, 1, 15, h, t0.plusSeconds(2),
                window);
        assertThat(capped.replicas()).isEqualTo(15);
        assertThat(capped.limitReason()).isEqualTo("TooManyReplicas");
        // the highest recommendation of the last 300 s (40) holds, even above the current count, until it expires
        NormalizedReplicas held = ReplicaNormalizer.normalizeWithoutBehavior(15, 3, 1, 50, h, t0.plusSeconds(302),
                window);
        assertThat(held.replicas()).isEqualTo(30);
        assertThat(held.stabilizationReason()).isEqualTo("ScaleDownStabilized");
        assertThat(ReplicaNormalizer.normalizeWithoutBehavior(15, 3, 1, 50, h, t0.plusSeconds(303), window).replicas())
                .isEqualTo(3);
        NormalizedReplicas floor = ReplicaNormalizer.normalizeWithoutBehavior(3, 1, 2, 50, h, t0.plusSeconds(700),
                window);
        assertThat(floor.replicas()).isEqualTo(2);
        assertThat(floor.limitReason()).isEqualTo("TooFewReplicas");
    }

    @Test
    void scaleUpIsImmediateButRateLimited() {
        ScaleHistory h = new ScaleHistory();
        // From 2, the default policies allow max(2 + 4, 2 * 2) = 6.
        NormalizedReplicas up = ReplicaNormalizer.normalize(2, 20, 1, 50, defaults, h, t0);
        assertThat(up.replicas()).isEqualTo(6);
        assertThat(up.limited()).isTrue();
        assertThat(up.limitReason()).isEqualTo("ScaleUpLimit");
        h.scaled(t0, 2, 6, Duration.ofSeconds(15), Duration.ofSeconds(15));
        // Within the same 15 s period the period started at 2, so 6 is still the cap.
        assertThat(ReplicaNormalizer.normalize(6, 20, 1, 50, defaults, h, t0.plusSeconds(5)).replicas()).isEqualTo(6);
        // After the period, from 6: max(10, 12) = 12.
        assertThat(ReplicaNormalizer.normalize(6, 20, 1, 50, defaults, h, t0.plusSeconds(16)).replicas()).isEqualTo(12);
    }

    @Test
    void clampsToMinAndMax() {
        NormalizedReplicas tooMany = ReplicaNormalizer.normalize(4, 8, 1, 5, defaults, new ScaleHistory(), t0);
        assertThat(tooMany.replicas()).isEqualTo(5);
        assertThat(tooMany.limitReason()).isEqualTo("TooManyReplicas");
        ScaleBehavior noWindow = new ScaleBehavior(ScaleBehavior.DEFAULT_SCALE_UP,
                new ScaleBehavior.Rules(0, ScaleBehavior.DEFAULT_SCALE_DOWN.policies(), "Max"));
        NormalizedReplicas tooFew = ReplicaNormalizer.normalize(4, 1, 3, 10, noWindow, new ScaleHistory(), t0);
        assertThat(tooFew.replicas()).isEqualTo(3);
        assertThat(tooFew.limitReason()).isEqualTo("TooFewReplicas");
        NormalizedReplicas within = ReplicaNormalizer.normalize(4, 6, 1, 10, defaults, new ScaleHistory(), t0);
        assertThat(within.replicas()).isEqualTo(6);
        assertThat(within.limited()).isFalse();
        assertThat(within.limitReason()).isEqualTo("DesiredWithinRange");
    }

    @Test
    void scaleDownPolicyAndDisabledDirections() {
        ScaleBehavior slowDown = new ScaleBehavior(ScaleBehavior.DEFAULT_SCALE_UP,
                new ScaleBehavior.Rules(0, List.of(new ScaleBehavior.Policy("Pods", 1, 60)), "Max"));
        NormalizedReplicas r = ReplicaNormalizer.normalize(10, 2, 1, 10, slowDown, new ScaleHistory(), t0);
        assertThat(r.replicas()).isEqualTo(9);
        assertThat(r.limitReason()).isEqualTo("ScaleDownLimit");
        ScaleBehavior noDown = new ScaleBehavior(ScaleBehavior.DEFAULT_SCALE_UP,
                new ScaleBehavior.Rules(0, List.of(new ScaleBehavior.Policy("Percent", 100, 15)), "Disabled"));
        assertThat(ReplicaNormalizer.normalize(10, 2, 1, 10, noDown, new ScaleHistory(), t0).replicas()).isEqualTo(10);
    }
}

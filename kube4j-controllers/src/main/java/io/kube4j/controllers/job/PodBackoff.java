package io.kube4j.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Upstream's backoffRecord for a Job without backoffLimitPerIndex: the failures since the last success and when the
 * last of them finished. A new pod waits {@code base * 2^(failures-1)} (at most {@code max}) from that time, so a
 * failing Job's pods are re-created after 10 s, 20 s, 40 s... and a success resets the count.
 *
 * @param failuresAfterLastSuccess failed pods finished after the last succeeded one
 * @param lastFailureTime          when the last of them finished, or null without failures
 */
record PodBackoff(int failuresAfterLastSuccess, Instant lastFailureTime) {
    static final PodBackoff NONE = new PodBackoff(0, null);

    /**
     * Upstream's newBackoffRecord: the record after this pass's newly finished pods. Without new successes the new
     * failures add up; with one, only the failures that finished after the last success count.
     */
    PodBackoff next(List<Pod> newSucceeded, List<Pod> newFailed) {
        if (newFailed.isEmpty() && newSucceeded.isEmpty()) {
            return this;
        }
        List<Instant> failed = newFailed.stream().map(IndexFailures::finishTime).sorted().toList();
        if (newSucceeded.isEmpty()) {
            return new PodBackoff(failuresAfterLastSuccess + failed.size(), failed.get(failed.size() - 1));
        }
        Instant lastSuccess = newSucceeded.stream().map(IndexFailures::finishTime).max(Comparator.naturalOrder()).orElseThrow();
        List<Instant> after = failed.stream().filter(t -> t.isAfter(lastSuccess)).toList();
        return after.isEmpty() ? NONE : new PodBackoff(after.size(), after.get(after.size() - 1));
    }

    /** How long a new pod still waits (zero when it may be created now). */
    Duration remaining(Duration base, Duration max, Instant now) {
        return remaining(failuresAfterLastSuccess, lastFailureTime, base, max, now);
    }

    /**
     * Upstream's getRemainingTimeForFailuresCount: the delay doubles from {@code base} with each failure up to
     * {@code max}, counted from the last failure.
     */
    static Duration remaining(int failures, Instant lastFailure, Duration base, Duration max, Instant now) {
        if (failures <= 0 || lastFailure == null) {
            return Duration.ZERO;
        }
        Duration delay = base;
        for (int i = 1; i < failures; i++) {
            delay = delay.multipliedBy(2);
            if (delay.compareTo(max) >= 0) {
                delay = max;
                break;
            }
        }
        Duration elapsed = Duration.between(lastFailure, now);
        return delay.compareTo(elapsed) < 0 ? Duration.ZERO : delay.minus(elapsed);
    }
}

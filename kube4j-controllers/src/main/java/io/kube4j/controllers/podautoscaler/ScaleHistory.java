package io.kube4j.controllers.podautoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one autoscaler remembers between syncs, in memory as upstream does: its recent recommendations (for
 * the stabilization windows) and its recent scale changes (for the rate policies). A new leader starts afresh.
 */
public final class ScaleHistory {
    record Recommendation(Instant at, int replicas) {
    }

    record ScaleEvent(Instant at, int change) {
    }

    private final List<Recommendation> recommendations = new ArrayList<>();
    private final List<ScaleEvent> scaleUps = new ArrayList<>();
    private final List<ScaleEvent> scaleDowns = new ArrayList<>();

    synchronized void recommend(Instant at, int replicas, Duration keep) {
        recommendations.removeIf(r -> r.at().isBefore(at.minus(keep)));
        recommendations.add(new Recommendation(at, replicas));
    }

    /**
     * Upstream's recordInitialRecommendation: the first sync of an autoscaler (new, or new to this leader) counts the
     * current scale as a recommendation, so that a scale-down waits out the window before going below it.
     */
    public synchronized void startAt(Instant at, int currentReplicas) {
        if (recommendations.isEmpty()) {
            recommendations.add(new Recommendation(at, currentReplicas));
        }
    }

    synchronized List<Recommendation> recommendations() {
        return List.copyOf(recommendations);
    }

    /** Records a change of scale made by the autoscaler, forgetting events older than the longest policy period. */
    public synchronized void scaled(Instant at, int from, int to, Duration keepUp, Duration keepDown) {
        scaleUps.removeIf(e -> e.at().isBefore(at.minus(keepUp)));
        scaleDowns.removeIf(e -> e.at().isBefore(at.minus(keepDown)));
        if (to > from) {
            scaleUps.add(new ScaleEvent(at, to - from));
        } else if (to < from) {
            scaleDowns.add(new ScaleEvent(at, from - to));
        }
    }

    synchronized int addedSince(Instant since) {
        return sum(scaleUps, since);
    }

    synchronized int removedSince(Instant since) {
        return sum(scaleDowns, since);
    }

    private static int sum(List<ScaleEvent> events, Instant since) {
        return events.stream().filter(e -> e.at().isAfter(since)).mapToInt(ScaleEvent::change).sum();
    }
}

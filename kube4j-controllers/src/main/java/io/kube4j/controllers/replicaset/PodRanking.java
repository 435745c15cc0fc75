package io.kube4j.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses scale-down victims in upstream's order (ActivePodsWithRanks, LogarithmicScaleDown on):
 * unassigned before assigned, Pending before Unknown before Running, not ready before ready, lower
 * pod-deletion-cost first, pods doubled up on a node first, shorter-ready first, more restarts
 * first, newer first. Times are compared on a log2 scale so near-equal ages do not decide.
 */
public final class PodRanking {
    static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

    private PodRanking() {
    }

    public static List<Pod> podsToDelete(List<Pod> pods, List<Pod> related, int count, Instant now) {
        if (count >= pods.size()) {
            return new ArrayList<>(pods);
        }
        Map<String, Integer> perNode = new HashMap<>();
        for (Pod p : related) {
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            if (node != null && !node.isEmpty() && Pods.isActive(p)) {
                perNode.merge(node, 1, Integer::sum);
            }
        }
        Map<Pod, Integer> rank = new HashMap<>();
        for (Pod p : pods) {
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            rank.put(p, node == null || node.isEmpty() ? 0 : perNode.getOrDefault(node, 0));
        }
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(comparator(rank, now));
        return new ArrayList<>(sorted.subList(0, count));
    }

    static Comparator<Pod> comparator(Map<Pod, Integer> rank, Instant now) {
        return (a, b) -> {
            boolean aAssigned = assigned(a);
            boolean bAssigned = assigned(b);
            if (aAssigned != bAssigned) {
                return aAssigned ? 1 : -1;
            }
            int pa = phaseOrder(Pods.phase(a));
            int pb = phaseOrder(Pods.phase(b));
            if (pa != pb) {
                return Integer.compare(pa, pb);
            }
            boolean ra = Pods.isReady(a);
            boolean rb = Pods.isReady(b);
            if (ra != rb) {
                return ra ? 1 : -1;
            }
            int ca = deletionCost(a);
            int cb = deletionCost(b);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            int ka = rank.getOrDefault(a, 0);
            int kb = rank.getOrDefault(b, 0);
            if (ka != kb) {
                return Integer.compare(kb, ka);
            }
            if (ra && rb) {
                int c = compareTimes(Pods.readySince(a), Pods.readySince(b), now, a, b);
                if (c != 0) {
                    return c;
                }
            }
            int restartsA = Pods.restarts(a);
            int restartsB = Pods.restarts(b);
            if (restartsA != restartsB) {
                return Integer.compare(restartsB, restartsA);
            }
            return compareTimes(Times.parse(a.getMetadata().getCreationTimestamp()),
                    Times.parse(b.getMetadata().getCreationTimestamp()), now, a, b);
        };
    }

    /** Negative when a should go first: a missing time first, then the later (newer) time. */
    private static int compareTimes(Instant ta, Instant tb, Instant now, Pod a, Pod b) {
        if (ta == null && tb == null || ta != null && ta.equals(tb)) {
            return 0;
        }
        if (ta == null) {
            return -1;
        }
        if (tb == null) {
            return 1;
        }
        int diff = logRank(ta, now) - logRank(tb, now);
        if (diff == 0) {
            return String.valueOf(a.getMetadata().getUid()).compareTo(String.valueOf(b.getMetadata().getUid()));
        }
        return diff;
    }

    private static int logRank(Instant t, Instant now) {
        long d = Duration.between(t, now).toNanos();
        return d > 0 ? 63 - Long.numberOfLeadingZeros(d) : -1;
    }

    private static boolean assigned(Pod p) {
        return p.getSpec() != null && p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty();
    }

    private static int phaseOrder(String phase) {
        switch (phase) {
            case "Pending":
                return 0;
            case "Unknown":
                return 1;
            case "Running":
                return 2;
            default:
                return 3;
        }
    }

    private static int deletionCost(Pod p) {
        Map<String, String> ann = p.getMetadata().getAnnotations();
        if (ann == null || !ann.containsKey(DELETION_COST)) {
            return 0;
        }
        try {
            return Integer.parseInt(ann.get(DELETION_COST).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

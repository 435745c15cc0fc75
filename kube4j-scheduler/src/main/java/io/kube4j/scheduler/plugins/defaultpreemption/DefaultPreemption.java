package io.kube4j.scheduler.plugins.defaultpreemption;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.FitError;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.Handle;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PostFilterPlugin;
import io.kube4j.scheduler.framework.PostFilterResult;
import io.kube4j.scheduler.framework.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Preemption: finds a node where evicting lower-priority pods lets the pod fit, preferring fewer
 * PodDisruptionBudget violations, lower victim priorities and fewer victims; evicts them and nominates the node.
 */
public final class DefaultPreemption implements PostFilterPlugin {
    public static final String NAME = "DefaultPreemption";
    public static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    public static final String NO_VICTIMS = "No preemption victims found for incoming pod";
    private static final Logger LOG = LoggerFactory.getLogger(DefaultPreemption.class);

    private final Handle handle;
    private final int minCandidateNodesPercentage;
    private final int minCandidateNodesAbsolute;

    public DefaultPreemption(Handle handle) { this(handle, 10, 100); }

    public DefaultPreemption(Handle handle, int minCandidateNodesPercentage, int minCandidateNodesAbsolute) {
        this.handle = handle;
        this.minCandidateNodesPercentage = minCandidateNodesPercentage;
        this.minCandidateNodesAbsolute = minCandidateNodesAbsolute;
    }

    @Override public String name() { return NAME; }

    /** A node where the pod fits once {@code victims} are evicted. */
    public record Candidate(String nodeName, List<PodInfo> victims, int pdbViolations) {}

    @Override
    public PostFilterResult postFilter(CycleState state, PodInfo pod, Map<String, Status> filteredNodeStatus) {
        String notEligible = notEligibleReason(pod);
        // Upstream prefixes every preemption message so FailedScheduling events read "... preemption: <why>".
        if (notEligible != null) return PostFilterResult.of(Status.unschedulable("preemption: " + notEligible));
        Map<String, Status> statuses = new LinkedHashMap<>();
        List<Candidate> candidates = findCandidates(state, pod, filteredNodeStatus, statuses);
        int all = handle.snapshot().size();
        if (candidates.isEmpty()) {
            return PostFilterResult.of(Status.unschedulable("preemption: " + FitError.message(all, null, statuses, null)));
        }
        Candidate best = selectCandidate(candidates);
        Status evicted = evict(pod, best);
        if (!evicted.isSuccess()) return PostFilterResult.of(evicted);
        return new PostFilterResult(best.nodeName(), Status.success());
    }

    String notEligibleReason(PodInfo pod) {
        if ("Never".equals(pod.pod().getSpec().getPreemptionPolicy())) return "not eligible due to preemptionPolicy=Never.";
        String nominated = pod.pod().getStatus() == null ? null : pod.pod().getStatus().getNominatedNodeName();
        if (nominated != null && !nominated.isEmpty()) {
            NodeInfo ni = handle.snapshot().get(nominated);
            if (ni != null) {
                for (PodInfo p : ni.pods()) {
                    if (p.isTerminating() && p.priority() < pod.priority()) return "not eligible due to a terminating pod on the nominated node.";
                }
            }
        }
        return null;
    }

    /** Dry-runs preemption on nodes that failed Filter with a resolvable status. */
    public List<Candidate> findCandidates(CycleState state, PodInfo pod, Map<String, Status> filteredNodeStatus, Map<String, Status> statuses) {
        List<NodeInfo> potential = new ArrayList<>();
        for (NodeInfo n : handle.snapshot().nodes()) {
            Status s = filteredNodeStatus.get(n.name());
            if (s != null && s.code() == Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                statuses.put(n.name(), Status.unresolvable(NOT_HELPFUL));
            } else {
                potential.add(n);
            }
        }
        int want = Math.max(minCandidateNodesAbsolute, potential.size() * minCandidateNodesPercentage / 100);
        List<Candidate> out = new ArrayList<>();
        Framework fw = handle.framework();
        List<Handle.DisruptionBudget> pdbs = handle.disruptionBudgets();
        for (NodeInfo n : potential) {
            if (out.size() >= want) break;
            CycleState copy = state.copy();
            Status[] why = new Status[1];
            Candidate c = selectVictimsOnNode(fw, copy, pod, n.copy(), pdbs, why);
            if (c != null) out.add(c);
            else statuses.put(n.name(), why[0]);
        }
        return out;
    }

    Candidate selectVictimsOnNode(Framework fw, CycleState state, PodInfo pod, NodeInfo node, List<Handle.DisruptionBudget> pdbs, Status[] why) {
        List<PodInfo> potential = new ArrayList<>();
        for (PodInfo p : new ArrayList<>(node.pods())) {
            if (p.priority() < pod.priority()) {
                potential.add(p);
                node.removePod(p);
                Status s = fw.runPreFilterExtensionRemovePod(state, pod, p, node);
                if (!s.isSuccess()) { why[0] = s; return null; }
            }
        }
        if (potential.isEmpty()) {
            why[0] = Status.unresolvable(NO_VICTIMS);
            return null;
        }
        Status fits = fw.runFilterPlugins(state, pod, node);
        if (!fits.isSuccess()) {
            why[0] = fits;
            return null;
        }
        potential.sort(MORE_IMPORTANT);
        List<PodInfo> violating = new ArrayList<>();
        List<PodInfo> nonViolating = new ArrayList<>();
        splitByPdb(potential, pdbs, violating, nonViolating);
        List<PodInfo> victims = new ArrayList<>();
        int violations = 0;
        for (PodInfo p : violating) if (!reprieve(fw, state, pod, node, p)) { victims.add(p); violations++; }
        for (PodInfo p : nonViolating) if (!reprieve(fw, state, pod, node, p)) victims.add(p);
        if (victims.isEmpty()) {
            why[0] = Status.error("expected at least one victim pod on node " + node.name());
            return null;
        }
        return new Candidate(node.name(), victims, violations);
    }

    /** Puts the pod back; returns false (and removes it again) when the preemptor no longer fits. */
    private static boolean reprieve(Framework fw, CycleState state, PodInfo pod, NodeInfo node, PodInfo p) {
        node.addPod(p);
        fw.runPreFilterExtensionAddPod(state, pod, p, node);
        if (fw.runFilterPlugins(state, pod, node).isSuccess()) return true;
        node.removePod(p);
        fw.runPreFilterExtensionRemovePod(state, pod, p, node);
        return false;
    }

    static void splitByPdb(List<PodInfo> pods, List<Handle.DisruptionBudget> pdbs, List<PodInfo> violating, List<PodInfo> nonViolating) {
        Map<Handle.DisruptionBudget, Integer> allowed = new HashMap<>();
        for (Handle.DisruptionBudget b : pdbs) allowed.put(b, b.disruptionsAllowed());
        for (PodInfo p : pods) {
            boolean violates = false;
            for (Handle.DisruptionBudget b : pdbs) {
                if (!b.namespace().equals(p.namespace()) || b.selector().isEmpty() || !b.selector().matches(p.pod().getMetadata().getLabels())) continue;
                int left = allowed.merge(b, -1, Integer::sum);
                if (left < 0) violates = true;
            }
            (violates ? violating : nonViolating).add(p);
        }
    }

    static final Comparator<PodInfo> MORE_IMPORTANT = (a, b) -> {
        if (a.priority() != b.priority()) return Integer.compare(b.priority(), a.priority());
        return startTime(a).compareTo(startTime(b));
    };

    static Instant startTime(PodInfo p) {
        Pod pod = p.pod();
        String t = pod.getStatus() != null && pod.getStatus().getStartTime() != null ? pod.getStatus().getStartTime() : pod.getMetadata().getCreationTimestamp();
        try {
            return t == null ? Instant.MAX : Instant.parse(t);
        } catch (RuntimeException e) {
            return Instant.MAX;
        }
    }

    /** Upstream's pickOneNodeForPreemption ordering. */
    public static Candidate selectCandidate(List<Candidate> candidates) {
        Comparator<Candidate> byPdb = Comparator.comparingInt(Candidate::pdbViolations);
        Comparator<Candidate> byHighest = Comparator.comparingInt(c -> c.victims().get(0).priority());
        Comparator<Candidate> bySum = Comparator.comparingLong(c -> {
            long sum = 0;
            for (PodInfo v : c.victims()) sum += (long) v.priority() + Integer.MAX_VALUE + 1L;
            return sum;
        });
        Comparator<Candidate> byCount = Comparator.comparingInt(c -> c.victims().size());
        // Later earliest-start among the highest-priority victims is better (disturbs younger pods).
        Comparator<Candidate> byStart = Comparator.comparing((Candidate c) -> earliestStartOfHighest(c)).reversed();
        Candidate best = candidates.get(0);
        Comparator<Candidate> order = byPdb.thenComparing(byHighest).thenComparing(bySum).thenComparing(byCount).thenComparing(byStart);
        for (Candidate c : candidates) if (order.compare(c, best) < 0) best = c;
        return best;
    }

    private static Instant earliestStartOfHighest(Candidate c) {
        int highest = c.victims().get(0).priority();
        Instant earliest = Instant.MAX;
        for (PodInfo v : c.victims()) {
            if (v.priority() != highest) continue;
            Instant s = startTime(v);
            if (s.isBefore(earliest)) earliest = s;
        }
        return earliest;
    }

    /** Upstream's "Preempted" event on the victim; best effort. */
    private static void recordPreempted(KubernetesClient client, PodInfo victim, PodInfo preemptor, String node) {
        try {
            String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            client.v1().events().inNamespace(victim.namespace()).resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                    .withNewMetadata().withNamespace(victim.namespace()).withName(victim.name() + "." + Long.toHexString(System.nanoTime())).endMetadata()
                    .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withNamespace(victim.namespace()).withName(victim.name())
                    .withUid(victim.uid()).endInvolvedObject()
                    .withType("Normal").withReason("Preempted").withAction("Preempting")
                    .withMessage("Preempted by pod " + preemptor.uid() + " on node " + node)
                    .withNewSource().withComponent("default-scheduler").endSource()
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1).build()).create();
        } catch (RuntimeException e) {
            LOG.debug("could not record Preempted event for {}: {}", victim.key(), e.getMessage());
        }
    }

    private Status evict(PodInfo preemptor, Candidate c) {
        KubernetesClient client = handle.client();
        if (client == null) return Status.success();
        for (PodInfo v : c.victims()) {
            try {
                LOG.info("Preempting pod {} on node {} for {}", v.key(), c.nodeName(), preemptor.key());
                client.pods().inNamespace(v.namespace()).withName(v.name()).delete();
                recordPreempted(client, v, preemptor, c.nodeName());
            } catch (RuntimeException e) {
                return Status.error("failed to preempt " + v.key() + ": " + e.getMessage());
            }
        }
        return Status.success();
    }
}

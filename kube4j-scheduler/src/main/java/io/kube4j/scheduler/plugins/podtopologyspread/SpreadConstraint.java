package io.kube4j.scheduler.plugins.podtopologyspread;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.util.Selector;

import java.util.List;
import java.util.Map;

/** A compiled topology spread constraint; the pod matches when all selectors match. */
record SpreadConstraint(int maxSkew, String topologyKey, List<Selector> selectors, int minDomains,
                        boolean doNotSchedule, boolean honorNodeAffinity, boolean honorTaints) {

    static SpreadConstraint of(TopologySpreadConstraint c, Pod pod) {
        Selector sel = Selector.of(c.getLabelSelector(), c.getMatchLabelKeys(), pod.getMetadata().getLabels());
        return new SpreadConstraint(c.getMaxSkew() == null ? 1 : c.getMaxSkew(), c.getTopologyKey(), List.of(sel),
                c.getMinDomains() == null ? 1 : c.getMinDomains(),
                "DoNotSchedule".equals(c.getWhenUnsatisfiable()),
                !"Ignore".equals(c.getNodeAffinityPolicy()),
                "Honor".equals(c.getNodeTaintsPolicy()));
    }

    boolean matches(Map<String, String> labels) {
        for (Selector s : selectors) if (!s.matches(labels)) return false;
        return true;
    }

    /** Pods on the node in the namespace that the constraint selects; terminating pods do not count. */
    int countMatching(NodeInfo node, String namespace) {
        int n = 0;
        List<PodInfo> pods = node.pods();
        for (int i = 0; i < pods.size(); i++) {
            PodInfo p = pods.get(i);
            if (p.isTerminating() || !namespace.equals(p.namespace())) continue;
            if (matches(p.pod().getMetadata().getLabels())) n++;
        }
        return n;
    }
}

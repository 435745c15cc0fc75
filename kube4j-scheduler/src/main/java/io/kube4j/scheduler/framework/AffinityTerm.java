package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.kube4j.scheduler.util.Selector;

import java.util.Map;
import java.util.Set;

/**
 * A compiled pod (anti-)affinity term. The namespaces the term applies to are the listed ones, plus those
 * matched by the namespace selector; neither set means the owning pod's namespace.
 */
public record AffinityTerm(Selector selector, Set<String> namespaces, Selector namespaceSelector, String topologyKey, int weight) {

    public static AffinityTerm of(PodAffinityTerm t, Pod owner, int weight) {
        Map<String, String> labels = owner.getMetadata().getLabels();
        Selector sel = Selector.of(t.getLabelSelector(), t.getMatchLabelKeys(), labels);
        Set<String> ns = t.getNamespaces() == null ? Set.of() : Set.copyOf(t.getNamespaces());
        Selector nsSel = t.getNamespaceSelector() == null ? Selector.NOTHING : Selector.of(t.getNamespaceSelector());
        if (ns.isEmpty() && t.getNamespaceSelector() == null) ns = Set.of(owner.getMetadata().getNamespace());
        return new AffinityTerm(sel, ns, nsSel, t.getTopologyKey(), weight);
    }

    /** Whether {@code pod} (in a namespace with {@code nsLabels}) is selected by this term. */
    public boolean matches(Pod pod, Map<String, String> nsLabels) {
        String ns = pod.getMetadata().getNamespace();
        if (!namespaces.contains(ns)) {
            if (namespaceSelector.isNothing()) return false;
            if (!namespaceSelector.isEmpty() && !namespaceSelector.matches(nsLabels)) return false;
        }
        return selector.matches(pod.getMetadata().getLabels());
    }
}

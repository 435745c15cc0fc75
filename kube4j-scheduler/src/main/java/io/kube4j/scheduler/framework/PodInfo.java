package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;

import java.util.ArrayList;
import java.util.List;

/** A pod with what the plugins need precomputed once: requests, host ports and affinity terms. */
public final class PodInfo {
    private final Pod pod;
    private final String key;
    private final Resource requests;
    private final long nonZeroMilliCpu;
    private final long nonZeroMemory;
    private final List<ContainerPort> hostPorts;
    private final List<AffinityTerm> requiredAffinity;
    private final List<AffinityTerm> requiredAntiAffinity;
    private final List<AffinityTerm> preferredAffinity;
    private final List<AffinityTerm> preferredAntiAffinity;
    /** Normalized image names of the containers and init containers; made on first use (scoring only). */
    private List<String> images;

    public PodInfo(Pod pod) {
        this.pod = pod;
        this.key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        this.requests = PodRequests.of(pod);
        Resource nz = PodRequests.nonZero(pod);
        this.nonZeroMilliCpu = nz.milliCpu;
        this.nonZeroMemory = nz.memory;
        this.hostPorts = hostPorts(pod);
        Affinity a = pod.getSpec() == null ? null : pod.getSpec().getAffinity();
        List<AffinityTerm> ra = List.of(), raa = List.of(), pa = List.of(), paa = List.of();
        if (a != null && a.getPodAffinity() != null) {
            ra = required(a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), pod);
            pa = preferred(a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), pod);
        }
        if (a != null && a.getPodAntiAffinity() != null) {
            raa = required(a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), pod);
            paa = preferred(a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), pod);
        }
        this.requiredAffinity = ra;
        this.requiredAntiAffinity = raa;
        this.preferredAffinity = pa;
        this.preferredAntiAffinity = paa;
    }

    private static List<AffinityTerm> required(List<PodAffinityTerm> terms, Pod pod) {
        if (terms == null || terms.isEmpty()) return List.of();
        List<AffinityTerm> out = new ArrayList<>(terms.size());
        for (PodAffinityTerm t : terms) out.add(AffinityTerm.of(t, pod, 1));
        return List.copyOf(out);
    }

    private static List<AffinityTerm> preferred(List<WeightedPodAffinityTerm> terms, Pod pod) {
        if (terms == null || terms.isEmpty()) return List.of();
        List<AffinityTerm> out = new ArrayList<>(terms.size());
        for (WeightedPodAffinityTerm t : terms) {
            if (t.getPodAffinityTerm() == null) continue;
            out.add(AffinityTerm.of(t.getPodAffinityTerm(), pod, t.getWeight() == null ? 0 : t.getWeight()));
        }
        return List.copyOf(out);
    }

    private static List<ContainerPort> hostPorts(Pod pod) {
        if (pod.getSpec() == null) return List.of();
        List<ContainerPort> out = null;
        List<List<Container>> groups = new ArrayList<>(2);
        if (pod.getSpec().getContainers() != null) groups.add(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) groups.add(pod.getSpec().getInitContainers());
        for (List<Container> cs : groups) {
            for (Container c : cs) {
                if (c.getPorts() == null) continue;
                for (ContainerPort p : c.getPorts()) {
                    if (p.getHostPort() != null && p.getHostPort() > 0) {
                        if (out == null) out = new ArrayList<>();
                        out.add(p);
                    }
                }
            }
        }
        return out == null ? List.of() : List.copyOf(out);
    }

    /**
     * The normalized names of the pod's container and init container images, in spec order (a container without an
     * image is left out). ImageLocality reads them for every node it scores; normalizing once per pod instead of once
     * per node is the point. Computed lazily by whichever thread asks first: racing threads compute the same
     * immutable list, and an immutable list is safely published through a plain field.
     */
    public List<String> images() {
        List<String> l = images;
        if (l == null) {
            List<String> out = new ArrayList<>();
            if (pod.getSpec() != null) {
                for (List<Container> cs : java.util.Arrays.asList(pod.getSpec().getContainers(), pod.getSpec().getInitContainers())) {
                    if (cs == null) continue;
                    for (Container c : cs) if (c.getImage() != null) out.add(ImageNames.normalize(c.getImage()));
                }
            }
            l = List.copyOf(out);
            images = l;
        }
        return l;
    }

    public Pod pod() { return pod; }
    /** namespace/name */
    public String key() { return key; }
    public String uid() { return pod.getMetadata().getUid(); }
    public String namespace() { return pod.getMetadata().getNamespace(); }
    public String name() { return pod.getMetadata().getName(); }
    public Resource requests() { return requests; }
    public long nonZeroMilliCpu() { return nonZeroMilliCpu; }
    public long nonZeroMemory() { return nonZeroMemory; }
    public List<ContainerPort> hostPorts() { return hostPorts; }
    public List<AffinityTerm> requiredAffinity() { return requiredAffinity; }
    public List<AffinityTerm> requiredAntiAffinity() { return requiredAntiAffinity; }
    public List<AffinityTerm> preferredAffinity() { return preferredAffinity; }
    public List<AffinityTerm> preferredAntiAffinity() { return preferredAntiAffinity; }
    public boolean hasAffinity() {
        return !requiredAffinity.isEmpty() || !requiredAntiAffinity.isEmpty() || !preferredAffinity.isEmpty() || !preferredAntiAffinity.isEmpty();
    }

    public int priority() {
        Integer p = pod.getSpec() == null ? null : pod.getSpec().getPriority();
        return p == null ? 0 : p;
    }

    public boolean isTerminating() { return pod.getMetadata().getDeletionTimestamp() != null; }

    @Override public String toString() { return key; }
}

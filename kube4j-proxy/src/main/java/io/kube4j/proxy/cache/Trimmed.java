package io.kube4j.proxy.cache;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of Pods, Namespaces and Nodes the proxy, its NetworkPolicy rules, cluster DNS and the pod routes read,
 * copied out of a decoded object so that the rest of it (managedFields, volumes, conditions, images, ...) can go.
 * Whoever reads one of these from a {@link TrimmingStore} reads only what is listed here.
 */
public final class Trimmed {

    private Trimmed() {
    }

    /**
     * A pod's identity and labels; spec.nodeName, spec.hostNetwork and the containers that declare ports (name and
     * ports only: NetworkPolicy named ports); status.phase, podIP and podIPs.
     */
    public static Pod pod(Pod full) {
        Pod pod = new Pod();
        pod.setMetadata(meta(full.getMetadata()));
        PodSpec spec = full.getSpec();
        if (spec != null) {
            PodSpec lean = new PodSpec();
            lean.setNodeName(spec.getNodeName());
            lean.setHostNetwork(spec.getHostNetwork());
            List<Container> withPorts = new ArrayList<>();
            if (spec.getContainers() != null) {
                for (Container c : spec.getContainers()) {
                    if (c.getPorts() != null && !c.getPorts().isEmpty()) {
                        Container port = new Container();
                        port.setName(c.getName());
                        port.setPorts(c.getPorts());
                        withPorts.add(port);
                    }
                }
            }
            lean.setContainers(withPorts);
            pod.setSpec(lean);
        }
        PodStatus status = full.getStatus();
        if (status != null) {
            PodStatus lean = new PodStatus();
            lean.setPhase(status.getPhase());
            lean.setPodIP(status.getPodIP());
            lean.setPodIPs(status.getPodIPs());
            pod.setStatus(lean);
        }
        return pod;
    }

    /** A namespace's name and labels (NetworkPolicy namespace selectors). */
    public static Namespace namespace(Namespace full) {
        Namespace ns = new Namespace();
        ns.setMetadata(meta(full.getMetadata()));
        return ns;
    }

    /** A node's name, spec.podCIDR(s) and status.addresses (pod routes, the proxy's node addresses). */
    public static Node node(Node full) {
        Node node = new Node();
        node.setMetadata(meta(full.getMetadata()));
        if (full.getSpec() != null) {
            NodeSpec spec = new NodeSpec();
            spec.setPodCIDR(full.getSpec().getPodCIDR());
            spec.setPodCIDRs(full.getSpec().getPodCIDRs());
            node.setSpec(spec);
        }
        if (full.getStatus() != null) {
            NodeStatus status = new NodeStatus();
            status.setAddresses(full.getStatus().getAddresses());
            node.setStatus(status);
        }
        return node;
    }

    /** name, namespace, uid, resourceVersion (the informer compares it) and labels. */
    private static ObjectMeta meta(ObjectMeta full) {
        ObjectMeta meta = new ObjectMeta();
        if (full != null) {
            meta.setName(full.getName());
            meta.setNamespace(full.getNamespace());
            meta.setUid(full.getUid());
            meta.setResourceVersion(full.getResourceVersion());
            meta.setLabels(full.getLabels());
        }
        return meta;
    }
}

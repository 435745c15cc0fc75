package io.kube4j.proxy.cache;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of Pods, Namespaces and Nodes the proxy, its NetworkPolicy rules, cluster DNS, the pod routes and the load
 * balancer status read, copied out of a decoded object so that the rest of it (managedFields, volumes, conditions,
 * images, ...) can go; the kinds read whole lose only their managedFields. Whoever reads one of these from a
 * {@link TrimmingStore} reads only what is listed here: the {@link InformedResource shared informers} keep one copy
 * for all of their readers, so a trim is the union of what they read.
 */
public final class Trimmed {

    private static final String READY = "Ready";

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

    /**
     * A node's name, spec.podCIDR(s), status.addresses (pod routes, the proxy's node addresses) and the type and
     * status of its Ready condition (the load balancer status serves ready nodes only).
     */
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
            if (full.getStatus().getConditions() != null) {
                // the heartbeat and transition times change every few seconds and nobody here reads them
                status.setConditions(full.getStatus().getConditions().stream()
                        .filter(c -> READY.equals(c.getType()))
                        .map(Trimmed::typeAndStatus).toList());
            }
            node.setStatus(status);
        }
        return node;
    }

    private static NodeCondition typeAndStatus(NodeCondition full) {
        NodeCondition condition = new NodeCondition();
        condition.setType(full.getType());
        condition.setStatus(full.getStatus());
        return condition;
    }

    /**
     * The object as decoded, without metadata.managedFields - for kinds whose readers read most of the rest (Services,
     * EndpointSlices, NetworkPolicies). managedFields decode to a tree of maps, one per field path a manager owns, and
     * no reader here looks at them; the object is changed in place, as the informer hands it over decoded afresh.
     */
    public static <T extends HasMetadata> T withoutManagedFields(T obj) {
        if (obj.getMetadata() != null) {
            obj.getMetadata().setManagedFields(null);
        }
        return obj;
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

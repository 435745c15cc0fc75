package io.kube4j.api.openapi;

import java.util.Map;

/**
 * One-line descriptions of the top-level kinds, shown by {@code kubectl explain <kind>} when upstream's own are
 * missing ({@link UpstreamDescriptions}: a build without them, or a kind upstream's copy does not describe).
 */
final class KindDescriptions {

    private static final Map<String, String> BY_KIND = Map.ofEntries(
            Map.entry("Binding", "Binding ties a pod to a node; the scheduler creates it."),
            Map.entry("ConfigMap", "ConfigMap holds configuration data for pods to consume."),
            Map.entry("Endpoints", "Endpoints lists the network addresses that implement a Service."),
            Map.entry("Event", "Event reports something that happened to an object in the cluster."),
            Map.entry("LimitRange", "LimitRange sets default and maximum resource usage per object in a namespace."),
            Map.entry("Namespace", "Namespace gives names a scope; most objects live in one."),
            Map.entry("Node", "Node is a worker machine that runs pods."),
            Map.entry("PersistentVolume", "PersistentVolume is a piece of storage provisioned in the cluster."),
            Map.entry("PersistentVolumeClaim", "PersistentVolumeClaim is a user's request for storage."),
            Map.entry("Pod", "Pod is a group of containers that run together on one node."),
            Map.entry("PodTemplate", "PodTemplate describes pods to be created from it."),
            Map.entry("ReplicationController", "ReplicationController keeps a number of pod replicas running."),
            Map.entry("ResourceQuota", "ResourceQuota limits the total resources used in a namespace."),
            Map.entry("Secret", "Secret holds sensitive data such as passwords, tokens or keys."),
            Map.entry("ServiceAccount", "ServiceAccount is an identity for processes that run in pods."),
            Map.entry("Service", "Service exposes a set of pods behind one stable address and port."),
            Map.entry("ControllerRevision", "ControllerRevision is an immutable snapshot of a controller's state."),
            Map.entry("DaemonSet", "DaemonSet runs a copy of a pod on each eligible node."),
            Map.entry("Deployment", "Deployment declares pods and ReplicaSets and rolls out changes to them."),
            Map.entry("ReplicaSet", "ReplicaSet keeps a number of pod replicas running."),
            Map.entry("StatefulSet", "StatefulSet runs pods with stable identities and storage."),
            Map.entry("HorizontalPodAutoscaler", "HorizontalPodAutoscaler scales a workload from observed metrics."),
            Map.entry("CronJob", "CronJob creates Jobs on a repeating schedule."),
            Map.entry("Job", "Job runs pods until a number of them complete successfully."),
            Map.entry("Lease", "Lease records who holds a lock, for leader election and heartbeats."),
            Map.entry("EndpointSlice", "EndpointSlice lists a subset of the endpoints that implement a Service."),
            Map.entry("Ingress", "Ingress routes external HTTP traffic to Services."),
            Map.entry("IngressClass", "IngressClass names the controller that implements an Ingress."),
            Map.entry("NetworkPolicy", "NetworkPolicy says which traffic pods may send and receive."),
            Map.entry("PodDisruptionBudget", "PodDisruptionBudget limits how many pods voluntary disruption may take."),
            Map.entry("ClusterRole", "ClusterRole is a cluster-wide set of permissions."),
            Map.entry("ClusterRoleBinding", "ClusterRoleBinding grants a ClusterRole across the cluster."),
            Map.entry("Role", "Role is a set of permissions within a namespace."),
            Map.entry("RoleBinding", "RoleBinding grants a Role or ClusterRole within a namespace."),
            Map.entry("StorageClass", "StorageClass describes a kind of storage that can be provisioned dynamically."),
            Map.entry("PriorityClass", "PriorityClass maps a priority class name to a scheduling priority."),
            Map.entry("ComponentStatus", "ComponentStatus reports the health of a control-plane component (deprecated in v1.19+)."),
            Map.entry("RuntimeClass", "RuntimeClass names a container runtime configuration used to run a pod's containers."),
            Map.entry("CSIDriver", "CSIDriver describes a CSI volume driver deployed on the cluster."),
            Map.entry("CSINode", "CSINode holds the CSI drivers installed on a node."),
            Map.entry("CSIStorageCapacity", "CSIStorageCapacity reports the storage a CSI driver has for a storage class in a topology segment."),
            Map.entry("VolumeAttachment", "VolumeAttachment asks for a volume to be attached to or detached from a node."),
            Map.entry("CustomResourceDefinition", "CustomResourceDefinition adds a new resource type to the API."),
            Map.entry("Scale", "Scale is the desired and observed replica count of a scalable resource."),
            Map.entry("Eviction", "Eviction asks for a pod to be evicted, honouring disruption budgets."),
            Map.entry("TokenRequest", "TokenRequest asks for a token for a service account."));

    private KindDescriptions() {
    }

    /** The description of a kind or of a list of it; null if there is none. */
    static String of(String kind) {
        String description = BY_KIND.get(kind);
        if (description == null && kind.endsWith("List")) {
            String item = kind.substring(0, kind.length() - "List".length());
            return BY_KIND.containsKey(item) ? item + "List is a list of " + item + " objects." : null;
        }
        return description;
    }
}

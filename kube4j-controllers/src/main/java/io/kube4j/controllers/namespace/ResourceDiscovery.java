package io.kube4j.controllers.namespace;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Finds every namespaced, listable and deletable resource the server serves (preferred versions). */
public final class ResourceDiscovery {
    /** What a namespace certainly holds when discovery is unavailable. */
    static final List<NamespacedResource> FALLBACK = List.of(
            new NamespacedResource("", "v1", "pods", "Pod"),
            new NamespacedResource("", "v1", "services", "Service"),
            new NamespacedResource("", "v1", "endpoints", "Endpoints"),
            new NamespacedResource("", "v1", "configmaps", "ConfigMap"),
            new NamespacedResource("", "v1", "secrets", "Secret"),
            new NamespacedResource("", "v1", "serviceaccounts", "ServiceAccount"),
            new NamespacedResource("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim"),
            new NamespacedResource("", "v1", "replicationcontrollers", "ReplicationController"),
            new NamespacedResource("", "v1", "events", "Event"),
            new NamespacedResource("", "v1", "resourcequotas", "ResourceQuota"),
            new NamespacedResource("", "v1", "limitranges", "LimitRange"),
            new NamespacedResource("", "v1", "podtemplates", "PodTemplate"),
            new NamespacedResource("apps", "v1", "deployments", "Deployment"),
            new NamespacedResource("apps", "v1", "replicasets", "ReplicaSet"),
            new NamespacedResource("apps", "v1", "statefulsets", "StatefulSet"),
            new NamespacedResource("apps", "v1", "daemonsets", "DaemonSet"),
            new NamespacedResource("apps", "v1", "controllerrevisions", "ControllerRevision"),
            new NamespacedResource("batch", "v1", "jobs", "Job"),
            new NamespacedResource("batch", "v1", "cronjobs", "CronJob"),
            new NamespacedResource("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice"),
            new NamespacedResource("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget"),
            new NamespacedResource("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler"),
            new NamespacedResource("coordination.k8s.io", "v1", "leases", "Lease"),
            new NamespacedResource("networking.k8s.io", "v1", "ingresses", "Ingress"),
            new NamespacedResource("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy"),
            new NamespacedResource("rbac.authorization.k8s.io", "v1", "roles", "Role"),
            new NamespacedResource("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"));

    private final KubernetesClient client;

    public ResourceDiscovery(KubernetesClient client) {
        this.client = client;
    }

    public record Result(List<NamespacedResource> resources, String error) {
    }

    public Result discover() {
        Map<String, NamespacedResource> found = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try {
            add(found, "", "v1", client.getApiResources("v1"));
        } catch (RuntimeException e) {
            failures.add("v1: " + e.getMessage());
        }
        try {
            var groups = client.getApiGroups();
            if (groups != null && groups.getGroups() != null) {
                for (APIGroup g : groups.getGroups()) {
                    if (g.getPreferredVersion() == null) {
                        continue;
                    }
                    String gv = g.getPreferredVersion().getGroupVersion();
                    try {
                        add(found, g.getName(), g.getPreferredVersion().getVersion(), client.getApiResources(gv));
                    } catch (RuntimeException e) {
                        failures.add(gv + ": " + e.getMessage());
                    }
                }
            }
        } catch (RuntimeException e) {
            failures.add("groups: " + e.getMessage());
        }
        if (found.isEmpty()) {
            return new Result(FALLBACK, failures.isEmpty() ? "no resources discovered" : String.join("; ", failures));
        }
        return new Result(new ArrayList<>(found.values()), failures.isEmpty() ? null : String.join("; ", failures));
    }

    private static void add(Map<String, NamespacedResource> found, String group, String version, APIResourceList list) {
        if (list == null || list.getResources() == null) {
            return;
        }
        for (APIResource r : list.getResources()) {
            if (r.getName().contains("/") || !Boolean.TRUE.equals(r.getNamespaced()) || r.getVerbs() == null
                    || !r.getVerbs().contains("list") || !r.getVerbs().contains("delete")) {
                continue;
            }
            // events.k8s.io/events and v1 events are one resource; the first seen wins.
            String key = "events".equals(r.getName()) ? "events" : group + "/" + r.getName();
            found.putIfAbsent(key, new NamespacedResource(group, version, r.getName(), r.getKind()));
        }
    }
}

package io.kube4j.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;

/**
 * The built-in types whose ownerReferences the collector follows. A fixed list rather than
 * discovery keeps one shared typed informer per type (the other controllers watch most of them
 * anyway), which is what keeps the manager's heap small.
 */
public final class GcResources {
    private GcResources() {
    }

    public static List<GcResource> builtins() {
        return List.of(
                new GcResource(Pod.class, "", "Pod", true),
                new GcResource(ReplicaSet.class, "apps", "ReplicaSet", true),
                new GcResource(Deployment.class, "apps", "Deployment", true),
                new GcResource(StatefulSet.class, "apps", "StatefulSet", true),
                new GcResource(DaemonSet.class, "apps", "DaemonSet", true),
                new GcResource(ControllerRevision.class, "apps", "ControllerRevision", true),
                new GcResource(ReplicationController.class, "", "ReplicationController", true),
                new GcResource(Job.class, "batch", "Job", true),
                new GcResource(CronJob.class, "batch", "CronJob", true),
                new GcResource(Service.class, "", "Service", true),
                new GcResource(Endpoints.class, "", "Endpoints", true),
                new GcResource(EndpointSlice.class, "discovery.k8s.io", "EndpointSlice", true),
                new GcResource(ConfigMap.class, "", "ConfigMap", true),
                new GcResource(Secret.class, "", "Secret", true),
                new GcResource(ServiceAccount.class, "", "ServiceAccount", true),
                new GcResource(PersistentVolumeClaim.class, "", "PersistentVolumeClaim", true),
                new GcResource(PodDisruptionBudget.class, "policy", "PodDisruptionBudget", true),
                new GcResource(Lease.class, "coordination.k8s.io", "Lease", true),
                new GcResource(Role.class, "rbac.authorization.k8s.io", "Role", true),
                new GcResource(RoleBinding.class, "rbac.authorization.k8s.io", "RoleBinding", true),
                new GcResource(Node.class, "", "Node", false),
                new GcResource(PersistentVolume.class, "", "PersistentVolume", false));
    }
}

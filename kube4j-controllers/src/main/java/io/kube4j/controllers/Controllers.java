package io.kube4j.controllers;

import io.kube4j.controllers.certificates.approver.CsrApprovingController;
import io.kube4j.controllers.certificates.signer.CsrSigningController;
import io.kube4j.controllers.cronjob.CronJobController;
import io.kube4j.controllers.daemonset.DaemonSetController;
import io.kube4j.controllers.deployment.DeploymentController;
import io.kube4j.controllers.disruption.DisruptionController;
import io.kube4j.controllers.endpoints.EndpointsController;
import io.kube4j.controllers.endpointslice.EndpointSliceController;
import io.kube4j.controllers.garbagecollector.GarbageCollector;
import io.kube4j.controllers.job.JobController;
import io.kube4j.controllers.namespace.NamespaceController;
import io.kube4j.controllers.nodeipam.NodeIpamController;
import io.kube4j.controllers.nodelifecycle.NodeLifecycleController;
import io.kube4j.controllers.persistentvolume.PersistentVolumeBinderController;
import io.kube4j.controllers.podautoscaler.HorizontalPodAutoscalerController;
import io.kube4j.controllers.podgc.PodGcController;
import io.kube4j.controllers.pvcprotection.PvcProtectionController;
import io.kube4j.controllers.pvprotection.PvProtectionController;
import io.kube4j.controllers.resourcequota.ResourceQuotaController;
import io.kube4j.controllers.rootcacertpublisher.RootCaCertPublisher;
import io.kube4j.controllers.serviceaccount.ServiceAccountController;
import io.kube4j.controllers.statefulset.StatefulSetController;
import io.kube4j.controllers.ttlafterfinished.TtlAfterFinishedController;
import io.kube4j.controllers.replicaset.ReplicaSetController;
import java.util.List;

/**
 * Every controller the manager knows, by the names kube-controller-manager's --controllers uses, with the service
 * account upstream runs it as (nodeipam and nodelifecycle share node-controller, the CSR controllers
 * certificate-controller, as upstream).
 */
public final class Controllers {
    private Controllers() {
    }

    public static List<ControllerDescriptor> all() {
        return List.of(
                new ControllerDescriptor("deployment", "deployment-controller", DeploymentController::new),
                new ControllerDescriptor("replicaset", "replicaset-controller", ReplicaSetController::forReplicaSets),
                new ControllerDescriptor("replicationcontroller", "replication-controller",
                        ReplicaSetController::forReplicationControllers),
                new ControllerDescriptor("garbagecollector", "generic-garbage-collector", GarbageCollector::new),
                new ControllerDescriptor("namespace", "namespace-controller", NamespaceController::new),
                new ControllerDescriptor("statefulset", "statefulset-controller", StatefulSetController::new),
                new ControllerDescriptor("daemonset", "daemon-set-controller", DaemonSetController::new),
                new ControllerDescriptor("job", "job-controller", JobController::new),
                new ControllerDescriptor("cronjob", "cronjob-controller", CronJobController::new),
                new ControllerDescriptor("ttl-after-finished", "ttl-after-finished-controller",
                        TtlAfterFinishedController::new),
                new ControllerDescriptor("endpointslice", "endpointslice-controller", EndpointSliceController::new),
                new ControllerDescriptor("endpoints", "endpoint-controller", EndpointsController::new),
                new ControllerDescriptor("serviceaccount", "service-account-controller", ServiceAccountController::new),
                new ControllerDescriptor("root-ca-cert-publisher", "root-ca-cert-publisher",
                        RootCaCertPublisher::create),
                new ControllerDescriptor("nodeipam", "node-controller", NodeIpamController::new),
                new ControllerDescriptor("nodelifecycle", "node-controller", NodeLifecycleController::new),
                new ControllerDescriptor("podgc", "pod-garbage-collector", PodGcController::new),
                new ControllerDescriptor("persistentvolume-binder", "persistent-volume-binder",
                        PersistentVolumeBinderController::new),
                new ControllerDescriptor("pvc-protection", "pvc-protection-controller", PvcProtectionController::new),
                new ControllerDescriptor("pv-protection", "pv-protection-controller", PvProtectionController::new),
                new ControllerDescriptor("disruption", "disruption-controller", DisruptionController::new),
                new ControllerDescriptor("resourcequota", "resourcequota-controller", ResourceQuotaController::new),
                new ControllerDescriptor("horizontalpodautoscaling", "horizontal-pod-autoscaler",
                        HorizontalPodAutoscalerController::new),
                new ControllerDescriptor("csrapproving", "certificate-controller", CsrApprovingController::new),
                new ControllerDescriptor("csrsigning", "certificate-controller", CsrSigningController::create)
        );
    }

    public static List<String> names() {
        return all().stream().map(ControllerDescriptor::name).toList();
    }
}

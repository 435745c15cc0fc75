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
import io.kube4j.controllers.podautoscaler.HorizontalPodAutoscalerController;
import io.kube4j.controllers.podgc.PodGcController;
import io.kube4j.controllers.resourcequota.ResourceQuotaController;
import io.kube4j.controllers.rootcacertpublisher.RootCaCertPublisher;
import io.kube4j.controllers.serviceaccount.ServiceAccountController;
import io.kube4j.controllers.statefulset.StatefulSetController;
import io.kube4j.controllers.ttlafterfinished.TtlAfterFinishedController;
import io.kube4j.controllers.replicaset.ReplicaSetController;
import java.util.List;

/** Every controller the manager knows, by the names kube-controller-manager's --controllers uses. */
public final class Controllers {
    private Controllers() {
    }

    public static List<ControllerDescriptor> all() {
        return List.of(
                new ControllerDescriptor("deployment", DeploymentController::new),
                new ControllerDescriptor("replicaset", ReplicaSetController::forReplicaSets),
                new ControllerDescriptor("replicationcontroller", ReplicaSetController::forReplicationControllers),
                new ControllerDescriptor("garbagecollector", GarbageCollector::new),
                new ControllerDescriptor("namespace", NamespaceController::new),
                new ControllerDescriptor("statefulset", StatefulSetController::new),
                new ControllerDescriptor("daemonset", DaemonSetController::new),
                new ControllerDescriptor("job", JobController::new),
                new ControllerDescriptor("cronjob", CronJobController::new),
                new ControllerDescriptor("ttl-after-finished", TtlAfterFinishedController::new),
                new ControllerDescriptor("endpointslice", EndpointSliceController::new),
                new ControllerDescriptor("endpoints", EndpointsController::new),
                new ControllerDescriptor("serviceaccount", ServiceAccountController::new),
                new ControllerDescriptor("root-ca-cert-publisher", RootCaCertPublisher::create),
                new ControllerDescriptor("nodeipam", NodeIpamController::new),
                new ControllerDescriptor("nodelifecycle", NodeLifecycleController::new),
                new ControllerDescriptor("podgc", PodGcController::new),
                new ControllerDescriptor("disruption", DisruptionController::new),
                new ControllerDescriptor("resourcequota", ResourceQuotaController::new),
                new ControllerDescriptor("horizontalpodautoscaling", HorizontalPodAutoscalerController::new),
                new ControllerDescriptor("csrapproving", CsrApprovingController::new),
                new ControllerDescriptor("csrsigning", CsrSigningController::create)
        );
    }

    public static List<String> names() {
        return all().stream().map(ControllerDescriptor::name).toList();
    }
}

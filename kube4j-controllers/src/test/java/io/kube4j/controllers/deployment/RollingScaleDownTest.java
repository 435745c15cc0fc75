package io.kube4j.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.util.OwnerRefs;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One sync of a RollingUpdate deployment (replicas 4, maxSurge 1, maxUnavailable 1) over a server state
 * set up by hand, with no ReplicaSet controller and no workers: the decision of a single sync is checked,
 * whatever the timing of the other controllers would have been.
 *
 * <p>The state of interest is the one the ReplicaSet controller leaves for a moment after a scale-down:
 * like upstream, it writes the status it computed from the pods it saw before deleting the surplus, so
 * for a while an old ReplicaSet reports more available replicas than its spec keeps
 * (spec 3, status.availableReplicas 4, observedGeneration current). Before it acts at all, its status still
 * counts the pods over the new spec, which are still running.
 */
@EnableKubernetesMockClient(crud = true)
class RollingScaleDownTest {
    static final String NS = "ns";
    static final int REPLICAS = 4;
    static final int MIN_AVAILABLE = REPLICAS - 1;

    static KubernetesClient client;
    Informers informers;
    ExecutorService apiCalls;
    DeploymentController controller;
    Deployment deployment;

    @BeforeEach
    void start() {
        informers = new Informers(client.informers(), Duration.ZERO);
        apiCalls = Executors.newCachedThreadPool();
        controller = new DeploymentController(new ControllerContext(client, informers, c -> EventRecorder.NOOP,
                new ControllerManagerOptions(), apiCalls));
        deployment = client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").withNamespace(NS).withUid("d-uid").withGeneration(3L)
                .addToAnnotations(DeploymentUtil.REVISION, "3").endMetadata()
                .withNewSpec().withReplicas(REPLICAS)
                .withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(1)).endRollingUpdate()
                .endStrategy()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("img:v1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
    }

    @AfterEach
    void stop() throws Exception {
        controller.close();
        informers.stop();
        apiCalls.shutdownNow();
        client.apps().replicaSets().inNamespace(NS).delete();
        client.apps().deployments().inNamespace(NS).delete();
    }

    /** A ReplicaSet of the deployment as the server holds it, status written through the status subresource. */
    private ReplicaSet replicaSet(String hash, String image, long revision, String created,
                                  int specReplicas, int statusReplicas, int available) {
        OwnerReference owner = OwnerRefs.newControllerRef(deployment);
        ReplicaSet rs = client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName("web-" + hash).withNamespace(NS).withUid("rs-" + hash)
                .withCreationTimestamp(created).withGeneration(5L)
                .withLabels(Map.of("app", "web", TemplateHash.LABEL, hash))
                .withAnnotations(Map.of(DeploymentUtil.REVISION, Long.toString(revision),
                        DeploymentUtil.DESIRED_REPLICAS, Integer.toString(REPLICAS),
                        DeploymentUtil.MAX_REPLICAS, Integer.toString(REPLICAS + 1)))
                .withOwnerReferences(owner).endMetadata()
                .withNewSpec().withReplicas(specReplicas)
                .withNewSelector().withMatchLabels(Map.of("app", "web", TemplateHash.LABEL, hash)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web", TemplateHash.LABEL, hash))
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage(image).endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        rs.setStatus(new io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder()
                .withReplicas(statusReplicas).withFullyLabeledReplicas(statusReplicas)
                .withReadyReplicas(available).withAvailableReplicas(available)
                .withObservedGeneration(rs.getMetadata().getGeneration()).build());
        return client.apps().replicaSets().inNamespace(NS).resource(rs).updateStatus();
    }

    private int specReplicas(String hash) {
        return client.apps().replicaSets().inNamespace(NS).withName("web-" + hash).get().getSpec().getReplicas();
    }

    private void syncOnce() throws Exception {
        informers.startAndWaitForSync(Duration.ofSeconds(10));
        controller.sync(NS + "/web");
    }

    @Test
    void oldReplicaSetStillReportingPodsItIsDeletingIsNotScaledBelowTheFloor() throws Exception {
        // Rolling back to v1: the v1 ReplicaSet is the new one (2 pods, 1 available); the v2 one was just scaled
        // 4 -> 3 and its status still counts the pod being deleted. Truly available: 3 old + 1 new = 4.
        replicaSet("v1hash", "img:v1", 3, "2026-01-01T00:00:00Z", 2, 2, 1);
        replicaSet("v2hash", "img:v2", 2, "2026-01-01T00:01:00Z", 3, 4, 4);

        syncOnce();

        // At most 4 - 3 = 1 more old pod may go: scaling v2 to 1 (trusting the 4) would leave 1 + 1 available.
        int oldSpec = specReplicas("v2hash");
        assertThat(oldSpec + 1).as("old pods kept + new pods available").isGreaterThanOrEqualTo(MIN_AVAILABLE);
        assertThat(oldSpec).as("still scales down as far as maxUnavailable allows").isEqualTo(2);
        assertThat(specReplicas("v1hash")).isEqualTo(2);
    }

    @Test
    void oldReplicaSetWithCurrentStatusIsScaledDownByWhatIsAvailableAboveTheFloor() throws Exception {
        // The same step with an up-to-date status: 4 old + 1 new available, the floor is 3, so 2 old pods go.
        replicaSet("v1hash", "img:v1", 3, "2026-01-01T00:00:00Z", 1, 1, 1);
        replicaSet("v2hash", "img:v2", 2, "2026-01-01T00:01:00Z", 4, 4, 4);

        syncOnce();

        assertThat(specReplicas("v2hash")).isEqualTo(2);
        assertThat(specReplicas("v1hash")).isEqualTo(1);
    }

    @Test
    void newReplicaSetGrowsOnlyOnceTheOldPodsOverItsSpecAreGoing() throws Exception {
        // v2 was just scaled 4 -> 3 but the ReplicaSet controller has not marked a pod for deletion yet: 4 old
        // pods and 1 new one run, which is already replicas + maxSurge.
        replicaSet("v1hash", "img:v1", 3, "2026-01-01T00:00:00Z", 1, 1, 0);
        replicaSet("v2hash", "img:v2", 2, "2026-01-01T00:01:00Z", 3, 4, 4);

        syncOnce();

        assertThat(specReplicas("v1hash")).as("a second new pod would make 6").isEqualTo(1);
        assertThat(specReplicas("v2hash")).isEqualTo(3);
    }

    @Test
    void newReplicaSetGrowsOnceTheOldReplicaSetReportsItsPodsGone() throws Exception {
        replicaSet("v1hash", "img:v1", 3, "2026-01-01T00:00:00Z", 1, 1, 0);
        replicaSet("v2hash", "img:v2", 2, "2026-01-01T00:01:00Z", 3, 3, 3);

        syncOnce();

        assertThat(specReplicas("v1hash")).isEqualTo(2);
        assertThat(specReplicas("v2hash")).isEqualTo(3);
    }

    @Test
    void newReplicaSetStatusAboveItsSpecDoesNotHideItsUnavailablePods() throws Exception {
        // The new ReplicaSet reports 3 available while its spec is 2 (it was shrunk and the status is behind):
        // its unavailable count must not go negative and pay for scaling old pods down.
        replicaSet("v1hash", "img:v1", 3, "2026-01-01T00:00:00Z", 2, 3, 3);
        replicaSet("v2hash", "img:v2", 2, "2026-01-01T00:01:00Z", 3, 3, 1);

        syncOnce();

        // Old: 3 replicas, 1 available, 2 unhealthy. Room: 5 pods - floor 3 - 0 new unavailable = 2.
        // The unhealthy old pods go first and cost no availability; available 1 + 2 = 3 is at the floor.
        assertThat(specReplicas("v2hash")).isEqualTo(1);
    }
}

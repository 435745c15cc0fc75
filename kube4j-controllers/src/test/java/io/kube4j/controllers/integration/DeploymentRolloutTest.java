package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.util.Pods;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A Deployment rolling between images on a real API server, watched pod by pod, driven by the real kubectl. */
class DeploymentRolloutTest {
    static final String NS = "roll";
    static final int REPLICAS = 4;
    static final int MAX_SURGE = 1;
    static final int MAX_UNAVAILABLE = 1;

    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        client = cluster.client();
        cluster.createNamespace(NS);
        cluster.startKubelet("node-1", "node-2", "node-3");
        cluster.startControllers(new ControllerManagerOptions(), "deployment", "replicaset", "garbagecollector");
    }

    static Deployment deployment(String name, String image) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(REPLICAS)
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(MAX_SURGE)).withMaxUnavailable(new IntOrString(MAX_UNAVAILABLE))
                .endRollingUpdate().endStrategy()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private List<Pod> livePods() {
        return client.pods().inNamespace(NS).withLabel("app", "web").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private void awaitAllOn(String image) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<Pod> pods = livePods();
            assertThat(pods).hasSize(REPLICAS);
            assertThat(pods).allMatch(Pods::isReady);
            assertThat(pods).allMatch(p -> image.equals(p.getSpec().getContainers().get(0).getImage()));
        });
    }

    @Test
    void rollsWithinSurgeAndUnavailabilityThenUndoes() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed at /usr/bin/kubectl");
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), cluster.dir().resolve("kubectl-cache"));
        client.apps().deployments().inNamespace(NS).resource(deployment("web", "img:v1")).create();
        awaitAllOn("img:v1");
        assertThat(kubectl.run("-n", NS, "rollout", "status", "deployment/web", "--timeout=60s").exitCode()).isZero();

        PodCountObserver observer = new PodCountObserver();
        SharedIndexInformer<Pod> watcher = client.pods().inNamespace(NS).withLabel("app", "web").inform(observer);
        try {
            // The informer replays the existing pods one by one: record nothing until all four are in.
            await().atMost(Duration.ofSeconds(30)).until(() -> observer.ready() == REPLICAS);
            PodCountObserver.Phase rollout = observer.startPhase();
            Kubectl.Result set = kubectl.run("-n", NS, "set", "image", "deployment/web", "c=img:v2");
            assertThat(set.exitCode()).as(set.output()).isZero();
            Kubectl.Result status = kubectl.run("-n", NS, "rollout", "status", "deployment/web", "--timeout=90s");
            assertThat(status.exitCode()).as(status.output()).isZero();
            assertThat(status.output()).contains("successfully rolled out");
            // upstream's bound: the state kubectl finds, and the controller's one write before it observes the change
            assertThat(status.output().lines().filter(l -> l.contains("Waiting for deployment spec update to be observed")))
                    .as(status.output()).hasSizeLessThanOrEqualTo(2);
            awaitAllOn("img:v2");
            assertThat(rollout.maxLive()).as("pods never exceed replicas + maxSurge").isEqualTo(REPLICAS + MAX_SURGE);
            assertThat(rollout.minReady()).as("ready pods never drop below replicas - maxUnavailable")
                    .isGreaterThanOrEqualTo(REPLICAS - MAX_UNAVAILABLE);

            PodCountObserver.Phase undoing = observer.startPhase();
            Kubectl.Result undo = kubectl.run("-n", NS, "rollout", "undo", "deployment/web");
            assertThat(undo.exitCode()).as(undo.output()).isZero();
            assertThat(kubectl.run("-n", NS, "rollout", "status", "deployment/web", "--timeout=90s").exitCode()).isZero();
            awaitAllOn("img:v1");
            Deployment d = client.apps().deployments().inNamespace(NS).withName("web").get();
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("img:v1");
            // The undo reuses the first ReplicaSet, now at revision 3, instead of making a new one.
            assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "3");
            assertThat(client.apps().replicaSets().inNamespace(NS).withLabel("app", "web").list().getItems()).hasSize(2);
            assertThat(undoing.maxLive()).as("undo: pods never exceed replicas + maxSurge")
                    .isLessThanOrEqualTo(REPLICAS + MAX_SURGE);
            assertThat(undoing.minReady()).as("undo: ready pods never drop below replicas - maxUnavailable")
                    .isGreaterThanOrEqualTo(REPLICAS - MAX_UNAVAILABLE);
        } finally {
            watcher.stop();
        }
    }

    /**
     * After a spec change the controller writes the deployment once (the new revision) before the status write that
     * carries observedGeneration, as upstream (one status write with the revision and the new ReplicaSet's
     * condition): kubectl rollout status prints "Waiting for deployment spec update to be observed" for each write
     * before that one.
     */
    @Test
    void aSpecChangeIsObservedInTheControllersSecondWrite() throws Exception {
        client.apps().deployments().inNamespace(NS).resource(deployment("web", "img:v1")).create();
        awaitAllOn("img:v1");
        await().atMost(Duration.ofSeconds(30)).until(() -> observed(client.apps().deployments().inNamespace(NS)
                .withName("web").get()));
        List<Deployment> modified = new CopyOnWriteArrayList<>();
        Watch watch = client.apps().deployments().inNamespace(NS).withName("web").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                if (action == Action.MODIFIED) {
                    modified.add(d);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        try {
            client.apps().deployments().inNamespace(NS).withName("web").edit(d -> {
                d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("img:v2");
                return d;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> modified.stream()
                    .anyMatch(d -> d.getMetadata().getGeneration() == 2 && observed(d)));
            List<String> beforeObserved = modified.stream().takeWhile(d -> !observed(d))
                    .map(d -> "generation " + d.getMetadata().getGeneration() + " revision "
                            + d.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))
                    .toList();
            // the edit itself, then the new revision
            assertThat(beforeObserved).containsExactly("generation 2 revision 1", "generation 2 revision 2");
            Deployment first = modified.stream().filter(DeploymentRolloutTest::observed).findFirst().orElseThrow();
            assertThat(first.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Progressing");
                assertThat(c.getReason()).isIn("NewReplicaSetCreated", "ReplicaSetUpdated");
            });
        } finally {
            watch.close();
        }
    }

    private static boolean observed(Deployment d) {
        return d != null && d.getStatus() != null && d.getStatus().getObservedGeneration() != null
                && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration();
    }

    /**
     * Pod counts after every watch event, kept from the events themselves: each notification moves this copy
     * to the next state the server went through, in order. (Reading the informer's store from a handler could
     * mix two states, since the store is written on another thread while the handler iterates it.)
     */
    static final class PodCountObserver implements ResourceEventHandler<Pod> {
        /** The extremes seen from one point of the test on. */
        static final class Phase {
            private final AtomicInteger maxLive = new AtomicInteger();
            private final AtomicInteger minReady = new AtomicInteger(Integer.MAX_VALUE);

            int maxLive() {
                return maxLive.get();
            }

            int minReady() {
                return minReady.get();
            }
        }

        // Guarded by this: events arrive on the informer's thread, phases start on the test's.
        private final Map<String, Pod> live = new HashMap<>();
        private Phase phase;

        /** Starts recording into a new phase, beginning with the current state. */
        synchronized Phase startPhase() {
            Phase p = new Phase();
            phase = p;
            record();
            return p;
        }

        synchronized int ready() {
            return (int) live.values().stream().filter(Pods::isReady).count();
        }

        @Override
        public void onAdd(Pod pod) {
            apply(pod);
        }

        @Override
        public void onUpdate(Pod oldPod, Pod newPod) {
            apply(newPod);
        }

        @Override
        public synchronized void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            live.remove(pod.getMetadata().getUid());
            record();
        }

        /** A terminating pod no longer counts: like upstream, neither as a pod nor as available. */
        private synchronized void apply(Pod pod) {
            if (pod.getMetadata().getDeletionTimestamp() == null) {
                live.put(pod.getMetadata().getUid(), pod);
            } else {
                live.remove(pod.getMetadata().getUid());
            }
            record();
        }

        private void record() {
            Phase p = phase;
            if (p != null) {
                p.maxLive.accumulateAndGet(live.size(), Math::max);
                p.minReady.accumulateAndGet(ready(), Math::min);
            }
        }
    }

    @Test
    void historyPauseResumeAndRestartWithTheRealKubectl() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed at /usr/bin/kubectl");
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), cluster.dir().resolve("kubectl-cache"));
        client.apps().deployments().inNamespace(NS).resource(deployment("web", "img:v1")).create();
        awaitAllOn("img:v1");

        Kubectl.Result pause = kubectl.run("-n", NS, "rollout", "pause", "deployment/web");
        assertThat(pause.exitCode()).as(pause.output()).isZero();
        assertThat(pause.output()).contains("deployment.apps/web paused");
        assertThat(kubectl.run("-n", NS, "set", "image", "deployment/web", "c=img:v2").exitCode()).isZero();
        // paused: the template changed but no new ReplicaSet is made and the pods stay on v1
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(client.apps().replicaSets().inNamespace(NS).withLabel("app", "web").list().getItems())
                        .hasSize(1));
        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get().getStatus().getConditions())
                .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("DeploymentPaused"));

        Kubectl.Result resume = kubectl.run("-n", NS, "rollout", "resume", "deployment/web");
        assertThat(resume.exitCode()).as(resume.output()).isZero();
        assertThat(kubectl.run("-n", NS, "rollout", "status", "deployment/web", "--timeout=90s").exitCode()).isZero();
        awaitAllOn("img:v2");

        Kubectl.Result restart = kubectl.run("-n", NS, "rollout", "restart", "deployment/web");
        assertThat(restart.exitCode()).as(restart.output()).isZero();
        assertThat(kubectl.run("-n", NS, "rollout", "status", "deployment/web", "--timeout=90s").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(livePods()).hasSize(REPLICAS)
                .allMatch(p -> p.getMetadata().getAnnotations() != null
                        && p.getMetadata().getAnnotations().containsKey("kubectl.kubernetes.io/restartedAt")));

        Kubectl.Result history = kubectl.run("-n", NS, "rollout", "history", "deployment/web");
        assertThat(history.exitCode()).as(history.output()).isZero();
        assertThat(history.output()).contains("REVISION", "1", "2", "3");
        Kubectl.Result second = kubectl.run("-n", NS, "rollout", "history", "deployment/web", "--revision=2");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("img:v2");

        // kubectl compares the revision's ReplicaSet template (less the hash label) with the Deployment's, semantically
        Kubectl.Result current = kubectl.run("-n", NS, "rollout", "undo", "deployment/web", "--to-revision=3");
        assertThat(current.exitCode()).as(current.output()).isZero();
        assertThat(current.output().strip())
                .isEqualTo("deployment.apps/web skipped rollback (current template already matches revision 3)");
    }

    /**
     * A template with most of what the API server defaults (probes, ports, env field refs, volumes, init containers)
     * is copied into its ReplicaSet so that kubectl finds the two equal: undo to the current revision is skipped, as
     * upstream, and the Deployment's spec is left alone.
     */
    @Test
    void undoToTheCurrentRevisionIsSkipped() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed at /usr/bin/kubectl");
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), cluster.dir().resolve("kubectl-cache"));
        Path manifest = cluster.dir().resolve("rich.yaml");
        java.nio.file.Files.writeString(manifest, String.join("\n",
                "apiVersion: apps/v1",
                "kind: Deployment",
                "metadata: {name: rich, namespace: " + NS + "}",
                "spec:",
                "  replicas: 1",
                "  selector: {matchLabels: {app: rich}}",
                "  template:",
                "    metadata:",
                "      creationTimestamp: null",
                "      labels: {app: rich}",
                "      annotations: {note: kept}",
                "    spec:",
                "      initContainers:",
                "      - {name: init, image: busybox}",
                "      containers:",
                "      - name: c",
                "        image: img:v1",
                "        ports: [{containerPort: 80, name: http}]",
                "        env: [{name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}]",
                "        resources: {requests: {cpu: '0.5', memory: 64Mi}, limits: {cpu: '1'}}",
                "        readinessProbe: {httpGet: {path: /, port: http}}",
                "        livenessProbe: {tcpSocket: {port: 80}}",
                "        volumeMounts: [{name: data, mountPath: /data}]",
                "      volumes:",
                "      - {name: data, emptyDir: {}}",
                "      - {name: cfg, configMap: {name: cfg}}",
                "      - {name: token, projected: {sources: [{serviceAccountToken: {path: token}}]}}",
                "      tolerations: [{key: k, operator: Exists}]",
                ""));
        Kubectl.Result apply = kubectl.run("apply", "-f", manifest.toString());
        assertThat(apply.exitCode()).as(apply.output()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.apps().replicaSets()
                .inNamespace(NS).withLabel("app", "rich").list().getItems()).hasSize(1));

        Kubectl.Result undo = kubectl.run("-n", NS, "rollout", "undo", "deployment/rich", "--to-revision=1");
        assertThat(undo.exitCode()).as(undo.output()).isZero();
        assertThat(undo.output().strip())
                .isEqualTo("deployment.apps/rich skipped rollback (current template already matches revision 1)");
        // the status moves on with the pods, the spec does not
        assertThat(client.apps().deployments().inNamespace(NS).withName("rich").get().getMetadata().getGeneration())
                .as("the skipped undo changes no spec").isEqualTo(1L);
    }
}

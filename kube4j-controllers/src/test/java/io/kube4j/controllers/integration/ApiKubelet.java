package io.kube4j.controllers.integration;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.framework.WorkQueue;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.Times;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Plays the kubelets of a few nodes against a real API server, with no containers: registers the Nodes
 * (Ready) and renews their Leases, binds unbound pods to its live nodes round-robin (there is no scheduler),
 * reports each pod Running+Ready, Failed or Succeeded as {@link #outcome} decides, and finishes graceful
 * deletions of pods on its live nodes. A stopped node goes silent: no lease renewals, no pod updates.
 */
final class ApiKubelet implements AutoCloseable {
    private final KubernetesClient client;
    private final List<String> nodes;
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    private final SharedIndexInformer<Pod> pods;
    private final WorkQueue<String> queue = new WorkQueue<>("fake-kubelet");
    private final Thread worker;
    private final Thread renewer;
    private final AtomicInteger nextNode = new AtomicInteger();
    private volatile boolean running = true;
    private volatile Function<Pod, PodOutcome> outcome = p -> PodOutcome.RUN;

    ApiKubelet(KubernetesClient client, List<String> nodes) {
        this.client = client;
        this.nodes = List.copyOf(nodes);
        for (String n : nodes) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(n)
                    .addToLabels("kubernetes.io/hostname", n).endMetadata()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                    .withLastHeartbeatTime(Times.format(Instant.now()))
                    .withLastTransitionTime(Times.format(Instant.now())).endCondition()
                    .addToAllocatable("cpu", new Quantity("8"))
                    .addToAllocatable("pods", new Quantity("110")).endStatus()
                    .build()).create();
        }
        this.renewer = new Thread(this::renewLeases, "fake-kubelet-leases");
        renewer.setDaemon(true);
        renewer.start();
        this.pods = client.pods().inAnyNamespace().inform(Handlers.any(p -> queue.add(Keys.of(p))));
        this.worker = new Thread(this::work, "fake-kubelet");
        worker.setDaemon(true);
        worker.start();
    }

    void outcome(Function<Pod, PodOutcome> decide) {
        this.outcome = decide;
    }

    /** The node stops renewing its lease and its kubelet stops touching pods, as if the machine died. */
    void stopNode(String node) {
        stopped.add(node);
    }

    private void renewLeases() {
        while (running) {
            for (String n : nodes) {
                if (!stopped.contains(n)) {
                    try {
                        renew(n);
                    } catch (KubernetesClientException e) {
                        // a conflict or a server going away; the next round tries again
                    }
                }
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void renew(String node) {
        var leases = client.leases().inNamespace("kube-node-lease");
        Lease lease = leases.withName(node).get();
        if (lease == null) {
            leases.resource(new LeaseBuilder().withNewMetadata().withName(node).withNamespace("kube-node-lease")
                    .endMetadata().withNewSpec().withHolderIdentity(node).withLeaseDurationSeconds(40)
                    .withRenewTime(ZonedDateTime.now()).endSpec().build()).create();
        } else {
            lease.getSpec().setRenewTime(ZonedDateTime.now());
            leases.resource(lease).update();
        }
    }

    private void work() {
        try {
            while (running) {
                Optional<String> key = queue.get();
                if (key.isEmpty()) {
                    return;
                }
                try {
                    handle(key.get());
                    queue.forget(key.get());
                } catch (KubernetesClientException e) {
                    if (running) {
                        queue.addRateLimited(key.get());
                    }
                } finally {
                    queue.done(key.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(String key) {
        Pod pod = pods.getStore().getByKey(key);
        if (pod == null) {
            return;
        }
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String node = pod.getSpec().getNodeName();
        if (node == null) {
            if (pod.getMetadata().getDeletionTimestamp() == null) {
                bind(pod);
            }
            return;
        }
        if (!nodes.contains(node) || stopped.contains(node)) {
            return;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            client.pods().inNamespace(ns).withName(name).withGracePeriod(0).delete();
            return;
        }
        if (Pods.isTerminal(pod) || ("Running".equals(Pods.phase(pod)) && Pods.isReady(pod))) {
            return;
        }
        client.pods().inNamespace(ns).resource(withStatus(pod, outcome.apply(pod))).updateStatus();
    }

    private void bind(Pod pod) {
        List<String> live = nodes.stream().filter(n -> !stopped.contains(n)).toList();
        if (live.isEmpty()) {
            return;
        }
        String node = live.get(Math.floorMod(nextNode.getAndIncrement(), live.size()));
        var binding = new BindingBuilder().withNewMetadata().withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace()).withUid(pod.getMetadata().getUid()).endMetadata()
                .withNewTarget().withKind("Node").withApiVersion("v1").withName(node).endTarget().build();
        String base = client.getMasterUrl().toString().replaceAll("/+$", "");
        client.raw(base + "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/"
                + pod.getMetadata().getName() + "/binding", "POST", binding);
    }

    private static Pod withStatus(Pod pod, PodOutcome outcome) {
        String now = Times.format(Instant.now());
        String phase = switch (outcome) {
            case RUN -> "Running";
            case FAIL -> "Failed";
            case SUCCEED -> "Succeeded";
        };
        boolean ready = outcome == PodOutcome.RUN;
        List<ContainerStatus> containers = pod.getSpec().getContainers().stream().map(c -> {
            ContainerStatusBuilder b = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                    .withImageID(c.getImage()).withReady(ready).withRestartCount(0).withStarted(ready);
            if (ready) {
                b.withNewState().withNewRunning().withStartedAt(now).endRunning().endState();
            } else {
                b.withNewState().withNewTerminated().withExitCode(outcome == PodOutcome.FAIL ? 1 : 0)
                        .withReason(outcome == PodOutcome.FAIL ? "Error" : "Completed").withStartedAt(now)
                        .withFinishedAt(now).endTerminated().endState();
            }
            return b.build();
        }).toList();
        return new PodBuilder(pod).withNewStatus().withPhase(phase).withHostIP("10.0.0.1").withPodIP(ready ? "10.42.0.9" : null)
                .withStartTime(now)
                .addNewCondition().withType("PodScheduled").withStatus("True").withLastTransitionTime(now).endCondition()
                .addNewCondition().withType("Initialized").withStatus("True").withLastTransitionTime(now).endCondition()
                .addNewCondition().withType("ContainersReady").withStatus(ready ? "True" : "False")
                .withLastTransitionTime(now).endCondition()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime(now).endCondition()
                .withContainerStatuses(containers).endStatus().build();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        queue.shutDown();
        pods.stop();
        renewer.interrupt();
        worker.interrupt();
        worker.join(5000);
        renewer.join(5000);
    }
}

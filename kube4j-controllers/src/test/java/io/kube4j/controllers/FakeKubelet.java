package io.kube4j.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.Times;
import java.time.Instant;

/** Plays the kubelet's part in tests: marks every pending pod Running and Ready. */
public final class FakeKubelet implements AutoCloseable {
    private final KubernetesClient client;
    private final Thread thread;
    private volatile boolean running = true;

    public FakeKubelet(KubernetesClient client) {
        this.client = client;
        this.thread = new Thread(this::loop, "fake-kubelet");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
                    if (!Pods.isReady(p) && p.getMetadata().getDeletionTimestamp() == null) {
                        Pod ready = new PodBuilder(p).editOrNewSpec().withNodeName(nodeFor(p)).endSpec()
                                .withNewStatus().withPhase("Running")
                                .addNewCondition().withType("Ready").withStatus("True")
                                .withLastTransitionTime(Times.format(Instant.now())).endCondition().endStatus().build();
                        client.pods().inNamespace(p.getMetadata().getNamespace()).resource(ready).updateStatus();
                    }
                }
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // conflicts with the controllers are expected; try again next round
            }
        }
    }

    /** Binds like a scheduler would: to the node a DaemonSet pod is pinned to, else to node-1. */
    private static String nodeFor(Pod p) {
        if (p.getSpec().getNodeName() != null) {
            return p.getSpec().getNodeName();
        }
        var affinity = p.getSpec().getAffinity();
        if (affinity != null && affinity.getNodeAffinity() != null
                && affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
            var terms = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
            if (!terms.isEmpty() && terms.get(0).getMatchFields() != null && !terms.get(0).getMatchFields().isEmpty()) {
                return terms.get(0).getMatchFields().get(0).getValues().get(0);
            }
        }
        return "node-1";
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}

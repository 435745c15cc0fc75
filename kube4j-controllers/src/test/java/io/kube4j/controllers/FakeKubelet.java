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
                        Pod ready = new PodBuilder(p).editOrNewSpec().withNodeName("node-1").endSpec()
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

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}

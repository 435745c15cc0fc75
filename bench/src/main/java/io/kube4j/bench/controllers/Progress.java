package io.kube4j.bench.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches pods and Deployments of the bench namespace keeping only names, and notes when all pods first exist,
 * when all are first Ready (the fake kubelet's part done) and when every Deployment first reports itself Available with all replicas updated and available.
 */
final class Progress implements AutoCloseable {
    private final int expectedPods;
    private final int expectedDeployments;
    private final Set<String> pods = ConcurrentHashMap.newKeySet();
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private final Set<String> available = ConcurrentHashMap.newKeySet();
    private volatile long allReadyAtNanos;
    private final CountDownLatch allPods = new CountDownLatch(1);
    private final CountDownLatch allAvailable = new CountDownLatch(1);
    private final Watch podWatch;
    private final Watch deploymentWatch;
    private volatile long allPodsAtNanos;
    private volatile long allAvailableAtNanos;

    Progress(KubernetesClient client, String namespace, int deployments, int replicas) {
        this.expectedPods = deployments * replicas;
        this.expectedDeployments = deployments;
        this.podWatch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.DELETED) {
                    pods.remove(pod.getMetadata().getName());
                    ready.remove(pod.getMetadata().getName());
                } else if (action == Action.ADDED || action == Action.MODIFIED) {
                    pods.add(pod.getMetadata().getName());
                    if (isReady(pod)) {
                        ready.add(pod.getMetadata().getName());
                        if (ready.size() >= expectedPods && allReadyAtNanos == 0) {
                            allReadyAtNanos = System.nanoTime();
                        }
                    }
                    if (pods.size() >= expectedPods && allPods.getCount() > 0) {
                        allPodsAtNanos = System.nanoTime();
                        allPods.countDown();
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        this.deploymentWatch = client.apps().deployments().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                if (action == Action.DELETED || !isAvailable(d)) {
                    available.remove(d.getMetadata().getName());
                    return;
                }
                available.add(d.getMetadata().getName());
                if (available.size() >= expectedDeployments && allAvailable.getCount() > 0) {
                    allAvailableAtNanos = System.nanoTime();
                    allAvailable.countDown();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    private static boolean isReady(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean isAvailable(Deployment d) {
        var s = d.getStatus();
        Integer want = d.getSpec().getReplicas();
        return s != null && Objects.equals(s.getAvailableReplicas(), want) && Objects.equals(s.getUpdatedReplicas(), want)
                && Objects.equals(d.getMetadata().getGeneration(), s.getObservedGeneration())
                && s.getConditions() != null && s.getConditions().stream()
                .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    int pods() {
        return pods.size();
    }

    int ready() {
        return ready.size();
    }

    /** When the fake kubelet had reported every pod Ready; 0 if it never did. */
    long allReadyAtNanos() {
        return allReadyAtNanos;
    }

    int available() {
        return available.size();
    }

    boolean awaitAllPods(long seconds) throws InterruptedException {
        return allPods.await(seconds, TimeUnit.SECONDS);
    }

    boolean awaitAllAvailable(long seconds) throws InterruptedException {
        return allAvailable.await(seconds, TimeUnit.SECONDS);
    }

    long allPodsAtNanos() {
        return allPodsAtNanos;
    }

    long allAvailableAtNanos() {
        return allAvailableAtNanos;
    }

    @Override
    public void close() {
        podWatch.close();
        deploymentWatch.close();
    }
}

package io.kube4j.bench.controllers;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N nodes that exist only as API objects, with one fake kubelet for all of them: it renews their Leases,
 * binds each new pod to a node round-robin (standing in for the scheduler) and then reports it Running and
 * Ready, and finishes graceful deletions. Pod work runs on a few threads, one pod key at a time each.
 */
final class FakeNodes implements AutoCloseable {
    private final KubernetesClient client;
    private final List<String> nodes = new ArrayList<>();
    private final ExecutorService workers;
    private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<String> again = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private SharedIndexInformer<Pod> pods;

    FakeNodes(KubernetesClient client, int count, int threads) {
        this.client = client;
        this.workers = Executors.newFixedThreadPool(threads);
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        for (int i = 0; i < count; i++) {
            String name = String.format("node-%03d", i);
            nodes.add(name);
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                    .addToLabels("kubernetes.io/hostname", name).endMetadata()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                    .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
                    .addToAllocatable("cpu", new Quantity("64")).addToAllocatable("pods", new Quantity("1000"))
                    .endStatus().build()).create();
        }
        leases.scheduleWithFixedDelay(this::renewLeases, 0, 10, TimeUnit.SECONDS);
    }

    void start() {
        pods = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                submit(key(pod));
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                submit(key(newPod));
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
            }
        });
    }

    private static String key(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }

    /** At most one task per pod at a time; a change while it runs makes it run once more. */
    private void submit(String key) {
        if (!inFlight.add(key)) {
            again.add(key);
            return;
        }
        workers.execute(() -> {
            try {
                handle(key);
            } catch (KubernetesClientException e) {
                again.add(key);
            } finally {
                inFlight.remove(key);
                if (again.remove(key)) {
                    submit(key);
                }
            }
        });
    }

    private void handle(String key) {
        Pod pod = pods.getStore().getByKey(key);
        if (pod == null) {
            return;
        }
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            client.pods().inNamespace(ns).withName(name).withGracePeriod(0).delete();
            return;
        }
        if (pod.getSpec().getNodeName() == null) {
            String node = nodes.get(Math.floorMod(next.getAndIncrement(), nodes.size()));
            var binding = new BindingBuilder().withNewMetadata().withName(name).withNamespace(ns)
                    .withUid(pod.getMetadata().getUid()).endMetadata()
                    .withNewTarget().withKind("Node").withApiVersion("v1").withName(node).endTarget().build();
            client.raw(client.getMasterUrl().toString().replaceAll("/+$", "") + "/api/v1/namespaces/" + ns + "/pods/"
                    + name + "/binding", "POST", binding);
            return;
        }
        if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
            return;
        }
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Pod running = new PodBuilder(pod).withNewStatus().withPhase("Running").withPodIP("10.42.0.1").withStartTime(now)
                .addNewCondition().withType("PodScheduled").withStatus("True").withLastTransitionTime(now).endCondition()
                .addNewCondition().withType("ContainersReady").withStatus("True").withLastTransitionTime(now).endCondition()
                .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(now).endCondition()
                .endStatus().build();
        client.pods().inNamespace(ns).resource(running).updateStatus();
    }

    private void renewLeases() {
        for (String n : nodes) {
            try {
                var api = client.leases().inNamespace("kube-node-lease");
                Lease lease = api.withName(n).get();
                if (lease == null) {
                    api.resource(new LeaseBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec()
                            .withHolderIdentity(n).withLeaseDurationSeconds(40).withRenewTime(ZonedDateTime.now())
                            .endSpec().build()).create();
                } else {
                    lease.getSpec().setRenewTime(ZonedDateTime.now());
                    api.resource(lease).update();
                }
            } catch (KubernetesClientException e) {
                // next round
            }
        }
    }

    @Override
    public void close() {
        leases.shutdownNow();
        if (pods != null) {
            pods.stop();
        }
        workers.shutdownNow();
    }
}

package io.kube4j.kubelet.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.kubelet.Kubelet;
import io.kube4j.kubelet.eviction.MachineSignals;
import io.kube4j.kubelet.eviction.NodeObservations;
import io.kube4j.kubelet.eviction.PodUsage;
import io.kube4j.kubelet.eviction.SignalSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Eviction on a real node with real pods: the node's memory signal is injected (the test does not exhaust the
 * machine's memory), the pods' usage is what the runtime measures. The BestEffort pod goes first; the Guaranteed pod,
 * within its requests, stays.
 */
class EvictionTest {
    private static final String NODE = "eviction-node";
    static final long MI = 1024 * 1024;
    /** How many more passes see the node short of memory (the periodic pass runs too: the first to look evicts). */
    static final java.util.concurrent.atomic.AtomicInteger lowMemoryPasses = new java.util.concurrent.atomic.AtomicInteger();
    static RealStack stack;

    @BeforeAll
    static void start() throws Exception {
        org.awaitility.Awaitility.ignoreExceptionsByDefault();
        stack = RealStack.start(NODE, o -> o);
        stack.kubelet.close();
        MachineSignals machine = new MachineSignals(stack.options.rootDir(), stack.cri);
        stack.kubelet = Kubelet.start(stack.client, stack.options, new SignalSource() {
            @Override
            public NodeObservations node() {
                NodeObservations real = machine.node();
                long available = lowMemoryPasses.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 60 * MI : 4096 * MI;
                return new NodeObservations(available, 8192 * MI, real.nodefsAvailable(), real.nodefsCapacity(),
                        real.imagefsAvailable(), real.imagefsCapacity());
            }

            @Override
            public Map<String, PodUsage> pods() {
                return machine.pods();
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private static Pod pod(String name, boolean guaranteed) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(30L)
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "x=$(head -c 2000000 /dev/zero | tr '\\0' a); sleep 3600").endContainer().endSpec();
        if (guaranteed) {
            b.editSpec().editFirstContainer().withNewResources()
                    .addToRequests("memory", new Quantity("64Mi")).addToLimits("memory", new Quantity("64Mi"))
                    .addToRequests("cpu", new Quantity("100m")).addToLimits("cpu", new Quantity("100m"))
                    .endResources().endContainer().endSpec();
        }
        return stack.client.pods().inNamespace("default").resource(b.build()).create();
    }

    private static Pod get(String name) {
        return stack.client.pods().inNamespace("default").withName(name).get();
    }

    private static boolean condition(String type) {
        Node node = stack.client.nodes().withName(NODE).get();
        return node.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals(type) && c.getStatus().equals("True"));
    }

    @Test
    void underMemoryPressureTheBestEffortPodIsEvictedAndTheGuaranteedPodStays() {
        Pod besteffort = pod("besteffort", false);
        pod("guaranteed", true);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(get("besteffort").getStatus().getPhase()).isEqualTo("Running");
            assertThat(get("guaranteed").getStatus().getPhase()).isEqualTo("Running");
            assertThat(stack.kubelet.eviction().synchronize()).isEmpty();
            assertThat(condition("MemoryPressure")).isFalse();
        });

        // one pass sees the node short of memory and evicts; then the memory is back, and the condition stays True
        // for the pressure transition period
        lowMemoryPasses.set(1);
        stack.kubelet.eviction().synchronize();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Pod p = get("besteffort");
            assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
            assertThat(p.getStatus().getReason()).isEqualTo("Evicted");
            assertThat(p.getStatus().getMessage()).startsWith("The node was low on resource: memory. Threshold quantity: 100Mi, available: 60Mi. "
                    + "Container app was using ").endsWith(", request is 0, has larger consumption of memory. ");
            assertThat(p.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("DisruptionTarget");
                assertThat(c.getReason()).isEqualTo("TerminationByKubelet");
            });
            assertThat(p.getStatus().getContainerStatuses().get(0).getState().getTerminated()).isNotNull();
            assertThat(stack.containersOf(besteffort.getMetadata().getUid()))
                    .allSatisfy(c -> assertThat(c.getState()).isEqualTo(io.kube4j.cri.v1.ContainerState.CONTAINER_EXITED));
            assertThat(condition("MemoryPressure")).isTrue();
        });
        assertThat(get("guaranteed").getStatus().getPhase()).isEqualTo("Running");
        assertThat(stack.client.v1().events().inNamespace("default").list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Evicted"));
        assertThat(stack.kubelet.eviction().synchronize()).isEmpty();
        assertThat(get("guaranteed").getStatus().getPhase()).isEqualTo("Running");
    }
}

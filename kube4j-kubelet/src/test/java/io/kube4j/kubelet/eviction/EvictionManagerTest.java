package io.kube4j.kubelet.eviction;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvictionManagerTest {
    static final long MI = 1024 * 1024;

    NodeObservations node = new NodeObservations(2048 * MI, 4096 * MI, 50_000 * MI, 100_000 * MI, 50_000 * MI, 100_000 * MI);
    final Map<String, PodUsage> usage = new HashMap<>();
    final List<Pod> pods = new ArrayList<>();
    final List<String> evicted = new ArrayList<>();
    final List<String> messages = new ArrayList<>();
    final AtomicInteger pressureChanges = new AtomicInteger();

    final SignalSource signals = new SignalSource() {
        @Override
        public NodeObservations node() {
            return node;
        }

        @Override
        public Map<String, PodUsage> pods() {
            return usage;
        }
    };

    EvictionManager manager(Thresholds thresholds) {
        return new EvictionManager(thresholds, signals, () -> List.copyOf(pods), (pod, message) -> {
            evicted.add(pod.getMetadata().getName());
            messages.add(message);
            pods.remove(pod);
        }, pressureChanges::incrementAndGet, java.time.Duration.ZERO);
    }

    Pod pod(String name, String memoryRequest, Integer priority, long memoryUsed, long diskUsed) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("uid-" + name).endMetadata()
                .withNewSpec().withPriority(priority).addNewContainer().withName("app").withImage("busybox").endContainer().endSpec();
        if (memoryRequest != null) {
            b.editSpec().editFirstContainer().withNewResources().addToRequests("memory", new Quantity(memoryRequest))
                    .addToRequests("ephemeral-storage", new Quantity(memoryRequest)).endResources().endContainer().endSpec();
        }
        Pod p = b.build();
        pods.add(p);
        usage.put(p.getMetadata().getUid(), new PodUsage(Map.of("app", memoryUsed), Map.of("app", diskUsed)));
        return p;
    }

    @Test
    void thresholdsParseUpstreamsFlagAndDefaults() {
        Thresholds d = Thresholds.defaults();
        assertThat(d.of(Signal.MEMORY_AVAILABLE).orElseThrow().bytesOf(4096 * MI)).isEqualTo(100 * MI);
        assertThat(d.of(Signal.NODEFS_AVAILABLE).orElseThrow().bytesOf(1000)).isEqualTo(100);
        assertThat(d.of(Signal.IMAGEFS_AVAILABLE).orElseThrow().bytesOf(1000)).isEqualTo(150);
        assertThat(Thresholds.parse("memory.available<1Gi").all()).singleElement()
                .satisfies(t -> assertThat(t.bytesOf(0)).isEqualTo(1024 * MI));
        assertThatThrownBy(() -> Thresholds.parse("memory.free<1Gi")).hasMessageContaining("unknown eviction signal \"memory.free\"");
        assertThatThrownBy(() -> Thresholds.parse("nodefs.available<120%")).hasMessageContaining("between 0% and 100%");
        assertThatThrownBy(() -> Thresholds.parse("memory.available=1Gi")).hasMessageContaining("signal<quantity");
    }

    @Test
    void nothingHappensAboveTheThresholds() {
        pod("a", null, null, 500 * MI, 0);
        assertThat(manager(Thresholds.defaults()).synchronize()).isEmpty();
        assertThat(evicted).isEmpty();
        assertThat(pressureChanges).hasValue(0);
    }

    @Test
    void memoryPressureEvictsPodsOverTheirRequestsFirstThenByPriorityThenByUsage() {
        pod("guaranteed-big", "1Gi", null, 900 * MI, 0);      // within its request: last
        pod("burstable-over", "10Mi", null, 60 * MI, 0);        // 50Mi over its request
        pod("besteffort-small", null, null, 20 * MI, 0);        // 20Mi over
        pod("besteffort-important", null, 1000, 300 * MI, 0);  // over, but higher priority
        pod("static", null, null, 800 * MI, 0).getMetadata().setAnnotations(Map.of("kubernetes.io/config.source", "file"));
        node = new NodeObservations(50 * MI, 4096 * MI, 50_000 * MI, 100_000 * MI, 50_000 * MI, 100_000 * MI);
        EvictionManager manager = manager(Thresholds.defaults());
        for (int i = 0; i < 4; i++) {
            manager.synchronize();
        }
        assertThat(evicted).containsExactly("burstable-over", "besteffort-small", "besteffort-important", "guaranteed-big");
        assertThat(manager.pressure().memory()).isTrue();
        assertThat(manager.pressure().disk()).isFalse();
        assertThat(messages.get(0)).isEqualTo("The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. "
                + "Container app was using 60Mi, request is 10Mi, has larger consumption of memory. ");
        assertThat(messages.get(3)).isEqualTo("The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. ");

        node = new NodeObservations(2048 * MI, 4096 * MI, 50_000 * MI, 100_000 * MI, 50_000 * MI, 100_000 * MI);
        manager.synchronize();
        assertThat(manager.pressure().memory()).isFalse();
        assertThat(pressureChanges).hasValue(2);
    }

    @Test
    void pressureOutlastsTheSignalForTheTransitionPeriod() {
        node = new NodeObservations(50 * MI, 4096 * MI, 50_000 * MI, 100_000 * MI, 50_000 * MI, 100_000 * MI);
        EvictionManager manager = new EvictionManager(Thresholds.defaults(), signals, List::of, (p, m) -> { }, () -> { },
                java.time.Duration.ofHours(1));
        manager.synchronize();
        node = new NodeObservations(2048 * MI, 4096 * MI, 50_000 * MI, 100_000 * MI, 50_000 * MI, 100_000 * MI);
        manager.synchronize();
        assertThat(manager.pressure().memory()).isTrue();
    }

    @Test
    void diskPressureRanksByDiskUsage() {
        pod("writer", null, null, 0, 500 * MI);
        pod("quiet", null, null, 900 * MI, 1 * MI);
        node = new NodeObservations(2048 * MI, 4096 * MI, 5_000 * MI, 100_000 * MI, 50_000 * MI, 100_000 * MI);
        EvictionManager manager = manager(Thresholds.defaults());
        manager.synchronize();
        assertThat(evicted).containsExactly("writer");
        assertThat(manager.pressure().disk()).isTrue();
        assertThat(messages.get(0)).startsWith("The node was low on resource: ephemeral-storage. Threshold quantity: 10000Mi, "
                + "available: 5000Mi. Container app was using 500Mi, request is 0, has larger consumption of ephemeral-storage.");
    }
}

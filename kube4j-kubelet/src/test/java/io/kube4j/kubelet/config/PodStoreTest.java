package io.kube4j.kubelet.config;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PodStoreTest {

    private static Pod pod(String phase) {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName("web").withUid("u1")
                .withResourceVersion("9").addToLabels("app", "web").addToAnnotations("note", "kept")
                .addNewManagedField().withManager("kubelet").withOperation("Update").withNewFieldsV1()
                .addToAdditionalProperties("f:status", Map.of("f:phase", Map.of())).endFieldsV1().endManagedField()
                .endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("c").withImage("busybox")
                .endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    @Test
    void podsAreStoredWithoutManagedFieldsAndOtherwiseWhole() {
        PodStore store = new PodStore();
        Pod pending = pod("Pending");

        String key = store.getKey(pending);
        assertThat(key).isEqualTo("ns/web");
        assertThat(store.put(key, pending)).isNull();

        Pod stored = store.get(key);
        // the informer hands its handlers the object it stored: the workers get the same lean pod
        assertThat(stored).isSameAs(pending);
        assertThat(stored.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(stored.getMetadata().getUid()).isEqualTo("u1");
        assertThat(stored.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(stored.getMetadata().getAnnotations()).containsEntry("note", "kept");
        assertThat(stored.getSpec().getContainers()).extracting(c -> c.getImage()).containsExactly("busybox");

        Pod running = pod("Running");
        assertThat(store.put(key, running)).isSameAs(pending);
        assertThat(store.get(key).getStatus().getPhase()).isEqualTo("Running");
        assertThat(store.keySet()).containsExactly(key);
        assertThat(store.values()).containsExactly(running);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.remove(key)).isSameAs(running);
        assertThat(store.size()).isZero();
    }
}

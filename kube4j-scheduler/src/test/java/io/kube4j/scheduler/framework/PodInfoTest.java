package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PodInfoTest {
    @Test
    void imagesAreNormalizedOnceInSpecOrderWithInitContainersAfter() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").endMetadata()
                .withNewSpec()
                .addNewContainer().withName("a").withImage("nginx").endContainer()
                .addNewContainer().withName("no-image").endContainer()
                .addNewInitContainer().withName("init").withImage("registry.local/tool:1.0").endInitContainer()
                .endSpec().build();
        PodInfo info = new PodInfo(pod);
        assertThat(info.images()).containsExactly(ImageNames.normalize("nginx"), ImageNames.normalize("registry.local/tool:1.0"));
        assertThat(info.images()).isSameAs(info.images());
    }

    @Test
    void aPodWithoutSpecHasNoImages() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").endMetadata().build();
        assertThat(new PodInfo(pod).images()).isEmpty();
    }
}

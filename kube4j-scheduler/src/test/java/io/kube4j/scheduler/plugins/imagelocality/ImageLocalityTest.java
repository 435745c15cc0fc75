package io.kube4j.scheduler.plugins.imagelocality;

import io.kube4j.scheduler.testing.FakeHandle;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImageLocalityTest {
    private static final long MB = 1024 * 1024;

    @Test
    void nodesWithLargeImagesScoreHigherScaledBySpread() {
        FakeHandle h = new FakeHandle()
                .node(Nodes.node("with").image(500 * MB, "registry.local/app:1.0").build())
                .node(Nodes.node("without").build());
        ImageLocality plugin = new ImageLocality(h);
        var pod = Pods.pod("p").image("registry.local/app:1.0").info();
        // 500MB * (1 of 2 nodes) = 250MB -> 100 * (250 - 23) / (1000 - 23)
        assertThat(plugin.score(null, pod, h.nodeInfo("with"))).isEqualTo(100 * (250 * MB - 23 * MB) / (1000 * MB - 23 * MB));
        assertThat(plugin.score(null, pod, h.nodeInfo("without"))).isZero();
    }

    @Test
    void untaggedImageMeansLatestAndSmallImagesScoreZero() {
        FakeHandle h = new FakeHandle().node(Nodes.node("n").image(300 * MB, "nginx:latest").image(10 * MB, "tiny:1").build());
        ImageLocality plugin = new ImageLocality(h);
        assertThat(plugin.score(null, Pods.pod("p").image("nginx").info(), h.nodeInfo("n"))).isGreaterThan(0);
        assertThat(plugin.score(null, Pods.pod("p").image("tiny:1").info(), h.nodeInfo("n"))).isZero();
    }
}

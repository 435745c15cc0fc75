package io.kube4j.scheduler.integration;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.scheduler.testing.Pods;
import io.kube4j.scheduler.watch.PodHeader;
import io.kube4j.scheduler.watch.PodWatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PodWatch against kube4j's API server: the list, then the WebSocket watch, in order, with decoding on demand. */
class PodWatchIntegrationTest {
    @TempDir Path dir;
    private ApiServerCluster cluster;
    private PodWatch watch;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (watch != null) watch.close();
        if (cluster != null) cluster.close();
    }

    private final PodWatch.Handler recorder = new PodWatch.Handler() {
        @Override public void added(PodHeader pod, Supplier<Pod> full) {
            // Decode unbound pods only, as the scheduler does: their full Pod must come from the server's JSON.
            String image = pod.assigned() ? "-" : full.get().getSpec().getContainers().get(0).getImage();
            seen.add("added " + pod.name() + " node=" + pod.nodeName() + " image=" + image);
        }

        @Override public void updated(PodHeader old, Pod oldPod, PodHeader pod, Supplier<Pod> full) {
            seen.add("updated " + pod.name() + " node=" + old.nodeName() + "->" + pod.nodeName()
                    + " oldPodKept=" + (oldPod != null) + " managedFields=" + full.get().getMetadata().getManagedFields().size());
        }

        @Override public void deleted(PodHeader pod) { seen.add("deleted " + pod.name() + " node=" + pod.nodeName()); }
    };

    @Test
    void listsThenWatchesPodsThroughTheApiServer() {
        cluster = ApiServerCluster.start(dir);
        cluster.create(Pods.pod("before").cpu("100m").build());
        watch = PodWatch.start(cluster.client(), recorder);
        assertThat(seen).containsExactly("added before node=null image=busybox:1.36");

        cluster.create(Pods.pod("after").cpu("100m").build());
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 2);
        assertThat(seen.get(1)).isEqualTo("added after node=null image=busybox:1.36");

        cluster.client().bindings().inNamespace(ApiServerCluster.NS).resource(new BindingBuilder().withNewMetadata()
                .withName("after").endMetadata().withNewTarget().withKind("Node").withName("n1").endTarget().build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 3);
        // the server's pod carries managedFields; the decoded one does not (the scheduler never reads them)
        assertThat(cluster.pod("after").getMetadata().getManagedFields()).isNotEmpty();
        assertThat(seen.get(2)).isEqualTo("updated after node=null->n1 oldPodKept=true managedFields=0");

        cluster.client().pods().inNamespace(ApiServerCluster.NS).withName("before").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 4);
        assertThat(seen.get(3)).isEqualTo("deleted before node=null");
    }
}

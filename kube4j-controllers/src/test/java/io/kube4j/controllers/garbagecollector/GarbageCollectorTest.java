package io.kube4j.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.integration.ApiServerCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a real kube4j API server, one per test: the fabric8 mock's event loop stalls for up to a minute after a client
 * closes a watch, which each test's controller manager does when it stops.
 */
class GarbageCollectorTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;
    ControllerManager manager;

    @BeforeEach
    void start() throws Exception {
        client = cluster.client();
        cluster.createNamespace("ns");
        manager = cluster.startControllers(new ControllerManagerOptions(), "garbagecollector");
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    static OwnerReference ref(ConfigMap owner, boolean block) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withBlockOwnerDeletion(block).build();
    }

    private ConfigMap create(String name, List<String> finalizers, OwnerReference... owners) {
        return client.configMaps().inNamespace("ns").resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .withFinalizers(finalizers.isEmpty() ? null : finalizers)
                .withOwnerReferences(owners.length == 0 ? null : List.of(owners)).endMetadata().build()).create();
    }

    private ConfigMap get(String name) {
        return client.configMaps().inNamespace("ns").withName(name).get();
    }

    @Test
    void dependentsOfAVanishedOwnerAreDeleted() {
        ConfigMap owner = create("owner", List.of());
        create("kept", List.of(), ref(owner, false));
        OwnerReference ghost = new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                .withName("ghost").withUid("no-such-uid").build();
        create("dangling", List.of(), ghost);
        await().atMost(Duration.ofSeconds(20)).until(() -> get("dangling") == null);
        assertThat(get("kept")).isNotNull();

        client.configMaps().inNamespace("ns").withName("owner").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("kept") == null);
    }

    @Test
    void dependentWithAnotherLiveOwnerOnlyLosesTheDeadReference() {
        ConfigMap alive = create("alive", List.of());
        OwnerReference ghost = new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                .withName("ghost2").withUid("gone-uid").build();
        create("shared", List.of(), ref(alive, false), ghost);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get("shared").getMetadata().getOwnerReferences()).extracting(OwnerReference::getUid)
                        .containsExactly(alive.getMetadata().getUid()));
    }

    @Test
    void orphanFinalizerStripsReferencesThenLetsTheOwnerGo() {
        ConfigMap owner = create("orphaner", List.of(GarbageCollector.ORPHAN));
        create("orphaned", List.of(), ref(owner, true));
        client.configMaps().inNamespace("ns").withName("orphaner").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("orphaner") == null);
        ConfigMap dep = get("orphaned");
        assertThat(dep).isNotNull();
        assertThat(dep.getMetadata().getOwnerReferences()).isNullOrEmpty();
    }

    @Test
    void foregroundDeletionRemovesDependentsBeforeTheOwner() {
        ConfigMap owner = create("fg", List.of(GarbageCollector.FOREGROUND));
        create("fg-dep", List.of(), ref(owner, true));
        create("fg-dep2", List.of(), ref(owner, false));
        client.configMaps().inNamespace("ns").withName("fg").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("fg") == null);
        assertThat(get("fg-dep")).isNull();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("fg-dep2") == null);
    }
}

package io.kube4j.apiserver.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class Fabric8ClientTest {

    @RegisterExtension
    static final TestServer server = TestServer.perClass().withBookmarkInterval(Duration.ofMillis(500));
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).withNamespace("default")
                .withRequestRetryBackoffLimit(0).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("app", "test").endMetadata()
                .addToData("k", value).build();
    }

    @Test
    void configMapCrud() {
        ConfigMap created = client.configMaps().resource(configMap("crud", "1")).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
        assertThat(created.getMetadata().getCreationTimestamp()).endsWith("Z");

        ConfigMap read = client.configMaps().withName("crud").get();
        assertThat(read.getData()).containsEntry("k", "1");

        read.getData().put("k", "2");
        ConfigMap updated = client.configMaps().resource(read).update();
        assertThat(updated.getData()).containsEntry("k", "2");
        assertThat(Long.parseLong(updated.getMetadata().getResourceVersion()))
                .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));

        ConfigMap edited = client.configMaps().withName("crud").edit(cm -> new ConfigMapBuilder(cm)
                .addToData("other", "x").build());
        assertThat(edited.getData()).containsEntry("other", "x");

        assertThat(client.configMaps().withName("crud").delete()).hasSize(1);
        assertThat(client.configMaps().withName("crud").get()).isNull();
    }

    @Test
    void staleUpdateIsConflict() {
        ConfigMap created = client.configMaps().resource(configMap("stale", "1")).create();
        client.configMaps().withName("stale").edit(cm -> new ConfigMapBuilder(cm).addToData("k", "2").build());
        created.getData().put("k", "3");
        assertThatThrownBy(() -> client.configMaps().resource(created).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getStatus().getMessage()).contains("Operation cannot be fulfilled on configmaps "
                            + "\"stale\": the object has been modified");
                });
        assertThatThrownBy(() -> client.configMaps().resource(configMap("stale", "1")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void invalidNameIs422WithCauses() {
        assertThatThrownBy(() -> client.configMaps().resource(configMap("Not_Valid", "1")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                    assertThat(e.getStatus().getDetails().getCauses()).isNotEmpty();
                    assertThat(e.getStatus().getDetails().getCauses().get(0).getField()).isEqualTo("metadata.name");
                });
        assertThat(client.configMaps().withName("Not_Valid").get()).isNull();
    }

    @Test
    void dryRunStoresNothing() {
        ConfigMap result = client.configMaps().resource(configMap("dry", "1")).dryRun().create();
        assertThat(result.getMetadata().getName()).isEqualTo("dry");
        assertThat(client.configMaps().withName("dry").get()).isNull();
    }

    @Test
    void generateNameGivesAFreshName() {
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withGenerateName("gen-").endMetadata().build();
        ConfigMap a = client.configMaps().resource(cm).create();
        ConfigMap b = client.configMaps().resource(cm).create();
        assertThat(a.getMetadata().getName()).startsWith("gen-").hasSize(9);
        assertThat(b.getMetadata().getName()).isNotEqualTo(a.getMetadata().getName());
    }

    @Test
    void listPagingVisitsEveryItemOnce() {
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("paging").endMetadata().build()).create();
        for (int i = 0; i < 7; i++) {
            client.configMaps().inNamespace("paging").resource(configMap("cm-" + i, "v")).create();
        }
        Set<String> seen = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            ConfigMapList page = client.configMaps().inNamespace("paging").list(new ListOptionsBuilder().withLimit(3L)
                    .withContinue(token).build());
            page.getItems().forEach(cm -> assertThat(seen.add(cm.getMetadata().getName())).isTrue());
            token = page.getMetadata().getContinue();
            pages++;
        } while (token != null && !token.isEmpty());
        assertThat(seen).hasSize(7);
        assertThat(pages).isEqualTo(3);
        assertThat(client.configMaps().inNamespace("paging").withLabel("app", "test").list().getItems()).hasSize(7);
        assertThat(client.configMaps().inNamespace("paging").withField("metadata.name", "cm-3").list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).containsExactly("cm-3");
    }

    @Test
    void watchDeliversEventsAndResumes() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Watcher<ConfigMap> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
        try (Watch ignored = client.configMaps().withLabel("watch", "yes").watch(watcher)) {
            ConfigMap cm = new ConfigMapBuilder(configMap("watched", "1")).editMetadata().addToLabels("watch", "yes")
                    .endMetadata().build();
            client.configMaps().resource(cm).create();
            client.configMaps().withName("watched").edit(c -> new ConfigMapBuilder(c).addToData("k", "2").build());
            // leaving the selector is a DELETED for this watch
            client.configMaps().withName("watched").edit(c -> new ConfigMapBuilder(c).editMetadata()
                    .removeFromLabels("watch").endMetadata().build());
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED watched");
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("MODIFIED watched");
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("DELETED watched");
        }
        // resume from a resourceVersion: only later events arrive
        String rv = client.configMaps().withName("watched").get().getMetadata().getResourceVersion();
        client.configMaps().withName("watched").edit(c -> new ConfigMapBuilder(c).addToData("k", "3").build());
        BlockingQueue<String> resumed = new LinkedBlockingQueue<>();
        try (Watch ignored = client.configMaps().withResourceVersion(rv).watch(new Watcher<ConfigMap>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                resumed.add(action + " " + resource.getMetadata().getName() + " " + resource.getData().get("k"));
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            assertThat(resumed.poll(10, TimeUnit.SECONDS)).isEqualTo("MODIFIED watched 3");
        }
    }

    @Test
    void informerStaysInSync() {
        Map<String, String> seen = new ConcurrentHashMap<>();
        SharedIndexInformer<Pod> informer = client.pods().inNamespace("default").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                seen.put(pod.getMetadata().getName(), "added");
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                seen.put(newPod.getMetadata().getName(), newPod.getStatus().getPhase());
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                seen.put(pod.getMetadata().getName(), "deleted");
            }
        });
        try {
            Pod pod = new PodBuilder().withNewMetadata().withName("inf").endMetadata().withNewSpec().addNewContainer()
                    .withName("c").withImage("busybox").endContainer().endSpec().build();
            client.pods().resource(pod).create();
            await().atMost(Duration.ofSeconds(10)).until(() -> "added".equals(seen.get("inf")));
            Pod current = client.pods().withName("inf").get();
            assertThat(current.getStatus().getPhase()).isEqualTo("Pending");
            current.getStatus().setPhase("Running");
            Pod afterStatus = client.pods().resource(current).updateStatus();
            assertThat(afterStatus.getStatus().getPhase()).isEqualTo("Running");
            await().atMost(Duration.ofSeconds(10)).until(() -> "Running".equals(seen.get("inf")));
            client.pods().withName("inf").withGracePeriod(0).delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> "deleted".equals(seen.get("inf")));
            assertThat(informer.getStore().getByKey("default/inf")).isNull();
        } finally {
            informer.close();
        }
    }

    @Test
    void statusUpdatesIgnoreSpecAndUpdatesIgnoreStatus() {
        Deployment d = new DeploymentBuilder().withNewMetadata().withName("status-split").endMetadata().withNewSpec()
                .withReplicas(1).withNewSelector().addToMatchLabels("app", "s").endSelector().withNewTemplate()
                .withNewMetadata().addToLabels("app", "s").endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("nginx").endContainer().endSpec().endTemplate().endSpec().build();
        Deployment created = client.apps().deployments().resource(d).create();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        created.getSpec().setReplicas(5);
        created.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(7).build());
        Deployment afterStatus = client.apps().deployments().resource(created).updateStatus();
        assertThat(afterStatus.getSpec().getReplicas()).isEqualTo(1);
        assertThat(afterStatus.getStatus().getReplicas()).isEqualTo(7);
        assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(1L);

        afterStatus.getSpec().setReplicas(2);
        afterStatus.getStatus().setReplicas(0);
        Deployment afterUpdate = client.apps().deployments().resource(afterStatus).update();
        assertThat(afterUpdate.getSpec().getReplicas()).isEqualTo(2);
        assertThat(afterUpdate.getStatus().getReplicas()).isEqualTo(7);
        assertThat(afterUpdate.getMetadata().getGeneration()).isEqualTo(2L);

        Deployment scaled = client.apps().deployments().withName("status-split").scale(4);
        assertThat(scaled.getSpec().getReplicas()).isEqualTo(4);
        assertThat(client.apps().deployments().withName("status-split").get().getSpec().getReplicas()).isEqualTo(4);
    }

    @Test
    void podBindingSetsTheNode() {
        Pod pod = new PodBuilder().withNewMetadata().withName("bind-me").endMetadata().withNewSpec().addNewContainer()
                .withName("c").withImage("busybox").endContainer().endSpec().build();
        Pod created = client.pods().resource(pod).create();
        BlockingQueue<Pod> modified = new LinkedBlockingQueue<>();
        Watch watch = client.pods().withName("bind-me").watch(new ListOptionsBuilder()
                .withResourceVersion(created.getMetadata().getResourceVersion()).build(), new Watcher<>() {
                    @Override public void eventReceived(Action action, Pod p) {
                        if (action == Action.MODIFIED) modified.add(p);
                    }
                    @Override public void onClose(WatcherException cause) { }
                });
        client.bindings().resource(new io.fabric8.kubernetes.api.model.BindingBuilder().withNewMetadata()
                .withName("bind-me").endMetadata().withNewTarget().withKind("Node").withName("node-1").endTarget()
                .build()).create();
        Pod bound = client.pods().withName("bind-me").get();
        assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");
        // One write, as upstream's binding storage: the change that sets the node carries PodScheduled=True.
        await().atMost(Duration.ofSeconds(10)).until(() -> !modified.isEmpty());
        watch.close();
        Pod first = modified.peek();
        assertThat(first.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(first.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("PodScheduled");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(first.getMetadata().getResourceVersion()).isEqualTo(bound.getMetadata().getResourceVersion());
        assertThat(client.pods().withField("spec.nodeName", "node-1").list().getItems())
                .extracting(p -> p.getMetadata().getName()).containsExactly("bind-me");
        // a scheduled pod is deleted gracefully: only marked
        client.pods().withName("bind-me").delete();
        Pod deleting = client.pods().withName("bind-me").get();
        assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(deleting.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
        client.pods().withName("bind-me").withGracePeriod(0).delete();
        assertThat(client.pods().withName("bind-me").get()).isNull();
    }

    @Test
    void finalizersHoldDeletion() {
        ConfigMap cm = new ConfigMapBuilder(configMap("final", "1")).editMetadata()
                .addToFinalizers("example.com/hold").endMetadata().build();
        client.configMaps().resource(cm).create();
        client.configMaps().withName("final").delete();
        ConfigMap marked = client.configMaps().withName("final").get();
        assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
        client.configMaps().withName("final").edit(c -> new ConfigMapBuilder(c).editMetadata().withFinalizers(List.of())
                .endMetadata().build());
        assertThat(client.configMaps().withName("final").get()).isNull();
    }

    @Test
    void missingNamespaceIsNotFound() {
        assertThatThrownBy(() -> client.configMaps().inNamespace("nowhere").resource(configMap("x", "1")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getStatus().getMessage()).isEqualTo("namespaces \"nowhere\" not found");
                });
    }
}

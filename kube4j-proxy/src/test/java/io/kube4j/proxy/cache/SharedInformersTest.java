package io.kube4j.proxy.cache;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@EnableKubernetesMockClient(crud = true)
class SharedInformersTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    private final List<SharedIndexInformer<?>> leases = new ArrayList<>();

    @BeforeEach
    void oneService() throws InterruptedException {
        client.services().resource(service("first")).create();
        requests(); // only what the test does counts
    }

    @AfterEach
    void cleanUp() {
        leases.forEach(SharedIndexInformer::close);
        client.services().inAnyNamespace().delete();
    }

    @Test
    void twoLeasesReadOneCacheFedByOneListAndOneWatch() throws InterruptedException {
        Names first = new Names();
        Names second = new Names();
        SharedIndexInformer<Service> a = lease(first);
        SharedIndexInformer<Service> b = lease(second);

        // a handler added to the running informer is told of what it already holds
        await().atMost(Duration.ofSeconds(10)).until(() -> first.added.contains("first") && second.added.contains("first"));
        assertThat(a.getStore()).isSameAs(b.getStore());
        List<String> paths = requests();
        assertThat(paths).filteredOn(p -> p.startsWith("/api/v1/services") && !p.contains("watch=true")).hasSize(1);
        assertThat(paths).filteredOn(p -> p.startsWith("/api/v1/services") && p.contains("watch=true")).hasSize(1);
    }

    @Test
    void closingOneLeaseKeepsTheOtherFedAndTheLastOneStopsTheInformer() throws InterruptedException {
        Names closedOne = new Names();
        Names open = new Names();
        SharedIndexInformer<Service> a = lease(closedOne);
        SharedIndexInformer<Service> b = lease(open);
        await().atMost(Duration.ofSeconds(10)).until(() -> open.added.contains("first"));

        a.close();
        assertThat(a.isRunning()).isFalse();
        client.services().resource(service("second")).create();

        await().atMost(Duration.ofSeconds(10)).until(() -> open.added.contains("second"));
        assertThat(b.getStore().getByKey("default/second")).isNotNull();
        assertThat(closedOne.added).doesNotContain("second");
        assertThat(SharedInformers.informed(client, InformedResource.SERVICES)).isTrue();

        b.close();
        assertThat(SharedInformers.informed(client, InformedResource.SERVICES)).isFalse();
        requests();
        // the next user lists afresh: nothing of the stopped informer is reused
        SharedIndexInformer<Service> c = lease(new Names());
        assertThat(c.getStore().list()).extracting(s -> s.getMetadata().getName()).containsExactlyInAnyOrder("first", "second");
        assertThat(requests()).filteredOn(p -> p.startsWith("/api/v1/services") && !p.contains("watch=true")).hasSize(1);
    }

    @Test
    void indexesAreSharedByNameAndTheStoreIsTheResources() {
        SharedIndexInformer<Service> a = lease(new Names());
        SharedIndexInformer<Service> b = lease(new Names());
        Function<Service, List<String>> byIp = s -> List.of(s.getSpec().getClusterIP());
        a.addIndexers(Map.of("ip", byIp));
        b.addIndexers(Map.of("ip", byIp)); // a second user of the same index

        assertThat(b.getIndexer().byIndex("ip", "10.43.0.5")).extracting(s -> s.getMetadata().getName())
                .containsExactly("first");
        assertThat(a.getStore().getByKey("default/first").getMetadata().getManagedFields()).isNullOrEmpty();
        assertThatThrownBy(() -> b.removeIndexer("ip")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> b.itemStore(new TrimmingStore<>(s -> s))).isInstanceOf(UnsupportedOperationException.class);
    }

    private SharedIndexInformer<Service> lease(Names names) {
        SharedIndexInformer<Service> lease = SharedInformers.lease(client, InformedResource.SERVICES);
        leases.add(lease);
        return lease.addEventHandler(names).run();
    }

    private static Service service(String name) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default")
                .addNewManagedField().withManager("kubectl").withOperation("Update").endManagedField().endMetadata()
                .withNewSpec().withClusterIP("first".equals(name) ? "10.43.0.5" : "10.43.0.6")
                .addNewPort().withPort(80).endPort().endSpec().build();
    }

    /** The paths of the requests the server took since the last call. */
    private static List<String> requests() throws InterruptedException {
        List<String> paths = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            paths.add(r.getPath());
        }
        return paths;
    }

    /** The names of the Services a handler was told were added. */
    private static final class Names implements ResourceEventHandler<Service> {
        final Set<String> added = ConcurrentHashMap.newKeySet();

        @Override
        public void onAdd(Service obj) {
            added.add(obj.getMetadata().getName());
        }

        @Override
        public void onUpdate(Service oldObj, Service newObj) {
        }

        @Override
        public void onDelete(Service obj, boolean deletedFinalStateUnknown) {
        }
    }
}

package io.kube4j.scheduler.integration;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.scheduler.Scheduler;
import io.kube4j.scheduler.SchedulerOptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One kube4j API server ({@link TestServer}) with an admin fabric8 client and the schedulers a test starts. Nodes are
 * plain API objects: there is no kubelet. As a JUnit extension ({@code @RegisterExtension final ApiServerCluster
 * cluster = ApiServerCluster.perTest();}) each test gets a fresh one, started before the class's {@code @BeforeEach}
 * methods and closed after its {@code @AfterEach} methods.
 */
final class ApiServerCluster implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    static final String NS = "default";

    private final TestServer server;
    private KubernetesClient client;
    private final List<Scheduler> schedulers = new ArrayList<>();
    private final List<KubernetesClient> extraClients = new ArrayList<>();

    private ApiServerCluster(TestServer server) {
        this.server = server;
    }

    /** A cluster on {@code dir}, started now, for a test that starts it part-way. */
    static ApiServerCluster start(Path dir) {
        ApiServerCluster cluster = new ApiServerCluster(TestServer.start(dir));
        cluster.client = cluster.newClient();
        return cluster;
    }

    /** A cluster that each test of the class registering it as an extension gets afresh. */
    static ApiServerCluster perTest() {
        return new ApiServerCluster(TestServer.perTest());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.beforeEach(context);
        client = newClient();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    KubernetesClient client() { return client; }

    /** A client of its own, as a separate scheduler process would have. */
    KubernetesClient newClient() {
        try {
            Config config = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
            KubernetesClient c = new KubernetesClientBuilder().withConfig(config).build();
            extraClients.add(c);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Scheduler startScheduler(SchedulerOptions opts) {
        Scheduler s = Scheduler.start(newClient(), opts);
        schedulers.add(s);
        return s;
    }

    /** The default scheduler without leader election, as most tests need. */
    Scheduler startScheduler() {
        return startScheduler(SchedulerOptions.defaults().leaderElect(false).identity("scheduler-it"));
    }

    Node create(Node n) {
        stripServerFields(n.getMetadata());
        return client.nodes().resource(n).create();
    }

    Pod create(Pod p) {
        stripServerFields(p.getMetadata());
        return client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
    }

    /** The unit-test builders fill fields that only a server sets. */
    private static void stripServerFields(ObjectMeta m) {
        m.setUid(null);
        m.setCreationTimestamp(null);
        m.setResourceVersion(null);
    }

    Pod pod(String name) {
        return client.pods().inNamespace(NS).withName(name).get();
    }

    /** The node a pod is bound to, or null if it is unbound or gone. */
    String nodeOf(String name) {
        Pod p = pod(name);
        return p == null || p.getSpec() == null ? null : p.getSpec().getNodeName();
    }

    List<Event> eventsOf(String podName) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> podName.equals(e.getInvolvedObject().getName())).toList();
    }

    Optional<PodCondition> podScheduledCondition(String name) {
        Pod p = pod(name);
        if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) return Optional.empty();
        return p.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst();
    }

    @Override
    public void close() {
        for (Scheduler s : schedulers) s.close();
        for (KubernetesClient c : extraClients) c.close();
        server.close();
    }
}

package io.kube4j.scheduler.integration;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kube4j.apiserver.e2e.TestCluster;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.scheduler.Scheduler;
import io.kube4j.scheduler.SchedulerOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A {@link TestCluster} - one kube4j API server with an admin fabric8 client - and the schedulers a test starts. Nodes
 * are plain API objects: there is no kubelet. As a JUnit extension ({@code @RegisterExtension final ApiServerCluster
 * cluster = ApiServerCluster.perTest();}) each test gets a fresh one.
 */
final class ApiServerCluster extends TestCluster {
    static final String NS = "default";

    private ApiServerCluster(TestServer server) {
        super(server);
    }

    /** A cluster on {@code dir}, started now, for a test that starts it part-way. */
    static ApiServerCluster start(Path dir) {
        return new ApiServerCluster(TestServer.start(dir));
    }

    /** A cluster that each test of the class registering it as an extension gets afresh. */
    static ApiServerCluster perTest() {
        return new ApiServerCluster(TestServer.perTest());
    }

    Scheduler startScheduler(SchedulerOptions opts) {
        return started(Scheduler.start(newClient(), opts));
    }

    /** The default scheduler without leader election, as most tests need. */
    Scheduler startScheduler() {
        return startScheduler(SchedulerOptions.defaults().leaderElect(false).identity("scheduler-it"));
    }

    Node create(Node n) {
        stripServerFields(n.getMetadata());
        return client().nodes().resource(n).create();
    }

    Pod create(Pod p) {
        stripServerFields(p.getMetadata());
        return client().pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
    }

    /** The unit-test builders fill fields that only a server sets. */
    private static void stripServerFields(ObjectMeta m) {
        m.setUid(null);
        m.setCreationTimestamp(null);
        m.setResourceVersion(null);
    }

    Pod pod(String name) {
        return client().pods().inNamespace(NS).withName(name).get();
    }

    /** The node a pod is bound to, or null if it is unbound or gone. */
    String nodeOf(String name) {
        Pod p = pod(name);
        return p == null || p.getSpec() == null ? null : p.getSpec().getNodeName();
    }

    List<Event> eventsOf(String podName) {
        return client().v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> podName.equals(e.getInvolvedObject().getName())).toList();
    }

    Optional<PodCondition> podScheduledCondition(String name) {
        Pod p = pod(name);
        if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) return Optional.empty();
        return p.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst();
    }
}

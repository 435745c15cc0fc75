package io.kube4j.e2e;

import org.awaitility.core.ConditionTimeoutException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The single-node cluster the single-node classes share: {@code kube4j server} with its local worker on a data
 * directory with the busybox image, started and waited on until its node is Ready; between two classes
 * {@link #reset() reset} to the objects it started with; at the end stopped without deleting its pods first (waiting
 * out every pod's grace period was most of a tear-down), then cleaned up with {@code kube4j killall}, so nothing is
 * left on the host. Each phase prints how long it took. Test classes take it
 * through {@link SingleNodeClusterExtension}.
 */
final class SingleNodeCluster {
    /**
     * The API server's scrape interval ({@code --metric-resolution}, as metrics-server's; 15s by default): the first
     * CPU rate of a pod needs two scrapes after its container started, so kubectl top shows a new pod within seconds.
     * TopE2ETest checks that the reported window is this one.
     */
    static final String METRIC_RESOLUTION = "3s";

    /** What the cluster makes in namespace default by itself; kept by a reset even when made after the start. */
    private static final Set<String> SYSTEM_OBJECTS = Set.of("service/kubernetes", "endpoints/kubernetes",
            "endpointslice.discovery.k8s.io/kubernetes", "configmap/kube-root-ca.crt", "serviceaccount/default");

    final Kube4jServer server;
    final Kubectl kubectl;
    /** The namespaced kinds a test may have made objects of: all that can be listed and deleted, but events. */
    private String kinds;
    /** The objects of namespace default when the node had just become Ready ("kind/name", as kubectl -o name). */
    private List<String> initialObjects = List.of();

    private SingleNodeCluster(Kube4jServer server, Kubectl kubectl) {
        this.server = server;
        this.kubectl = kubectl;
    }

    /** Starts the cluster in {@code tmp/data}. */
    static SingleNodeCluster start(Path tmp) {
        Path data = tmp.resolve("data");
        BusyboxImages.copyInto(data.resolve("images"));
        Kube4jServer server = Kube4jServer.withAgent(data).flags("--metric-resolution", METRIC_RESOLUTION);
        SingleNodeCluster cluster = new SingleNodeCluster(server, server.kubectl(tmp.resolve("kubectl-cache")));
        try {
            Phases.run("server ready", server::start);
            Phases.run("node Ready", cluster::awaitNodeReady);
            cluster.kinds = String.join(",", cluster.kubectl.run("api-resources", "--namespaced=true",
                    "--verbs=list,delete", "-o", "name").assertOk().stdout().lines()
                    .filter(kind -> !kind.equals("events") && !kind.equals("events.events.k8s.io")).toList());
            cluster.initialObjects = cluster.objectsOfDefault();
        } catch (RuntimeException | Error e) {
            cluster.stop(); // the caller sees no cluster when its set-up failed: the worker may have begun
            throw e;
        }
        return cluster;
    }

    /** The node's Ready condition True, or the end of the server's log in the failure (its temp dir goes). */
    void awaitNodeReady() {
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(kubectl.run("get", "nodes", "-o",
                            "jsonpath={.items[0].status.conditions[?(@.type==\"Ready\")].status}").stdout())
                            .isEqualTo("True"));
        } catch (ConditionTimeoutException e) {
            String log = server.log();
            throw new AssertionError("node not Ready in 90 s; server log ends:\n"
                    + log.substring(Math.max(0, log.length() - 6000)), e);
        }
    }

    /** Whether the server runs: a class may have killed it (to restart it) and failed before starting it again. */
    boolean running() {
        return server.isAlive();
    }

    /** Starts a server that is not running again on its data directory, its node Ready again. */
    void restart() {
        Phases.run("server ready", server::start);
        Phases.run("node Ready", this::awaitNodeReady);
    }

    /**
     * Deletes what earlier classes made in namespace default, so that the next class finds the cluster as it started:
     * no pod, workload, Service, claim, ConfigMap or Secret of theirs (their names repeat: several classes run a
     * Deployment "web"). Pods go at once ({@code --grace-period=0 --force}, the kubelet then stops their containers):
     * no class checks how an earlier class's pods end. Controllers are deleted before pods, so that none makes a pod
     * after the pods went; whatever was still made meanwhile is found and deleted by the next round. Events stay: they
     * are records of what happened, and the node's own are in this namespace.
     */
    void reset() {
        Phases.run("reset", () -> {
            try {
                await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            List<String> left = new ArrayList<>(objectsOfDefault());
                            left.removeAll(initialObjects);
                            left.removeAll(SYSTEM_OBJECTS);
                            if (!left.isEmpty()) {
                                left.sort(Comparator.comparing(name -> name.startsWith("pod/")));
                                List<String> delete = new ArrayList<>(List.of("delete", "-n", "default",
                                        "--grace-period=0", "--force", "--wait=false", "--ignore-not-found"));
                                delete.addAll(left);
                                kubectl.run(delete.toArray(String[]::new));
                            }
                            assertThat(left).as("objects of earlier classes in namespace default").isEmpty();
                        });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the cluster could not be reset for the next class", e);
            }
        });
    }

    private List<String> objectsOfDefault() {
        return kubectl.run("get", kinds, "-n", "default", "-o", "name").assertOk().stdout().lines()
                .filter(line -> !line.isBlank()).toList();
    }

    /** Stops the server and removes what its worker left ({@code kube4j killall}). */
    void stop() {
        Phases.run("server stop", server::stop);
        Phases.run("worker cleanup", server::cleanUpWorkerLeftovers);
    }
}

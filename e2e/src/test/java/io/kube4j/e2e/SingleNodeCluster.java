package io.kube4j.e2e;

import org.awaitility.core.ConditionTimeoutException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The set-up and tear-down the single-node classes share: {@code kube4j server} with its local worker on a data
 * directory with the busybox image, started and waited on until its node is Ready; stopped without deleting its pods
 * first (the classes check deletion where they mean to, and waiting out every pod's grace period was most of a
 * class's tear-down), then its containers, mounts, namespace pins, network devices and pod cgroups removed, so nothing
 * is left on the host. Each phase prints how long it took. Test classes take one through
 * {@link SingleNodeClusterExtension}.
 */
final class SingleNodeCluster {
    final Kube4jServer server;
    final Kubectl kubectl;

    private SingleNodeCluster(Kube4jServer server, Kubectl kubectl) {
        this.server = server;
        this.kubectl = kubectl;
    }

    /** Starts the cluster in {@code tmp/data}; {@code configure} may add JVM options or flags to the server before it starts. */
    static SingleNodeCluster start(Path tmp, Consumer<Kube4jServer> configure) {
        Path data = tmp.resolve("data");
        BusyboxImages.copyInto(data.resolve("images"));
        Kube4jServer server = Kube4jServer.withAgent(data);
        configure.accept(server);
        SingleNodeCluster cluster = new SingleNodeCluster(server, server.kubectl(tmp.resolve("kubectl-cache")));
        try {
            Phases.run("server ready", server::start);
            Phases.run("node Ready", cluster::awaitNodeReady);
        } catch (RuntimeException | Error e) {
            cluster.stop(); // the class's tear-down sees no cluster when its set-up failed: the worker may have begun
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

    /**
     * Stops the server and removes what its worker left. The pods' UIDs are read first: their cgroups are named after
     * them and the API is gone afterwards.
     */
    void stop() {
        List<String> podUids = Phases.get("pod UIDs", this::podUids);
        Phases.run("server stop", server::stop);
        Phases.run("worker cleanup", () -> {
            server.cleanUpWorkerLeftovers();
            Kube4jServer.removeCgroups(Kube4jServer.podCgroups("kubepods", podUids));
        });
    }

    private List<String> podUids() {
        Kubectl.Result uids = kubectl.run("get", "pods", "--all-namespaces", "-o",
                "jsonpath={.items[*].metadata.uid}");
        return uids.exitCode() == 0 ? Arrays.stream(uids.stdout().split("\\s+")).filter(s -> !s.isBlank()).toList()
                : List.of(); // the API is not there (a failed start): no pod was made either
    }
}

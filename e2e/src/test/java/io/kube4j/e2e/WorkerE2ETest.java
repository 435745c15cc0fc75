package io.kube4j.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A single-node cluster as {@code bin/kube4j up} starts it: the master and its local worker in one process.
 * A Deployment applied with kubectl runs real containers (runc, namespaces, cgroups), gets pod IPs, is reached
 * through its Service's ClusterIP (nftables), and its logs come back through the API server and the kubelet.
 */
class WorkerE2ETest {
    @RegisterExtension
    static final SingleNodeClusterExtension cluster = new SingleNodeClusterExtension();

    @Test
    void deploymentRunsContainersReachableThroughItsService() throws IOException {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("get", "nodes", "-o", "jsonpath={.items[0].status.conditions[?(@.type==\"Ready\")].status}")
                        .stdout()).isEqualTo("True"));

        cluster.kubectl().runWithInput(WebApp.MANIFEST, "apply", "-f", "-").assertOk();

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("get", "pods", "-l", "app=web", "-o",
                        "jsonpath={range .items[*]}{.status.phase} {.status.podIP}{\"\\n\"}{end}").stdout().lines())
                        .hasSize(2)
                        .allMatch(line -> line.matches("Running 10\\.42\\.\\d+\\.\\d+")));

        String clusterIp = cluster.kubectl().run("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}").assertOk()
                .stdout();
        assertThat(clusterIp).startsWith("10.43.");
        Set<String> answered = new HashSet<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            String body = wget("http://" + clusterIp + "/");
            if (body.startsWith("served-by-")) {
                answered.add(body.strip());
            }
            return answered.size() == 2;
        });

        String pod = cluster.kubectl().run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}").assertOk().stdout();
        assertThat(cluster.kubectl().run("logs", pod).assertOk().stdout()).isEqualTo("started\n");
        assertThat(cluster.kubectl().run("logs", pod, "-c", "nope").stderr())
                .contains("container nope is not valid for pod " + pod);
    }

    /** Fetches a URL with busybox's wget from the host (the node), bounded in time. */
    private static String wget(String url) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("timeout", "3", "busybox", "wget", "-qO-", url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(5, TimeUnit.SECONDS);
        return out;
    }
}

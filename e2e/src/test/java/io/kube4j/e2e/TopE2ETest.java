package io.kube4j.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kubectl top} and CPU autoscaling on a real single-node cluster: the API server scrapes the kubelet's
 * resource metrics (every 15 s, as metrics-server) and serves metrics.k8s.io; a busy container shows nonzero CPU,
 * and a HorizontalPodAutoscaler scales its Deployment on that usage.
 */
class TopE2ETest {
    /**
     * The cluster scrapes every {@link SingleNodeCluster#METRIC_RESOLUTION} ({@code --metric-resolution}, as
     * metrics-server's; 15s by default): the first CPU rate needs two scrapes after the container started. The HPA's
     * own 15 s sync period stays.
     */
    @RegisterExtension
    static final SingleNodeClusterExtension cluster = new SingleNodeClusterExtension();

    @Test
    void topShowsTheNodeAndABusyPodsCpu() {
        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: spin, labels: {app: spin}}
                spec:
                  containers:
                  - name: spin
                    image: busybox
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "while :; do :; done"]
                    resources: {limits: {cpu: 200m}}
                """, "apply", "-f", "-").assertOk();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("get", "pod", "spin", "-o", "jsonpath={.status.phase}").stdout())
                        .isEqualTo("Running"));

        // two scrapes make the first rate: up to two resolutions after the container started
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            Kubectl.Result top = cluster.kubectl().run("top", "pod", "spin");
            assertThat(top.exitCode()).as(top.stderr()).isZero();
            String[] row = top.stdout().lines().filter(l -> l.startsWith("spin")).findFirst().orElseThrow()
                    .split("\\s+");
            assertThat(millicores(row[1])).as(top.stdout()).isGreaterThan(50);
            assertThat(row[2]).endsWith("Mi");
        });

        Kubectl.Result nodes = cluster.kubectl().run("top", "node").assertOk();
        String[] node = nodes.stdout().lines().skip(1).findFirst().orElseThrow().split("\\s+");
        assertThat(millicores(node[1])).as(nodes.stdout()).isPositive();
        assertThat(node[3]).endsWith("Mi");

        Kubectl.Result raw = cluster.kubectl().run("get", "--raw",
                "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/spin").assertOk();
        assertThat(raw.stdout()).contains("\"kind\":\"PodMetrics\"").contains("\"name\":\"spin\"");
        // the window is the time between the two scrapes of the rate: the cluster's 3s (plus a scrape's time), not 15s
        java.util.regex.Matcher window = java.util.regex.Pattern.compile("\"window\":\"([0-9.]+)s\"")
                .matcher(raw.stdout());
        assertThat(window.find()).as(raw.stdout()).isTrue();
        assertThat(Double.parseDouble(window.group(1))).as(raw.stdout()).isBetween(2.5, 10.0);
        cluster.kubectl().run("delete", "pod", "spin", "--wait=false");
    }

    @Test
    void horizontalPodAutoscalerScalesABusyDeploymentOnCpu() {
        cluster.kubectl().runWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: burn}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: burn}}
                  template:
                    metadata: {labels: {app: burn}}
                    spec:
                      containers:
                      - name: burn
                        image: busybox
                        imagePullPolicy: IfNotPresent
                        command: ["sh", "-c", "while :; do :; done"]
                        resources: {requests: {cpu: 50m}, limits: {cpu: 150m}}
                """, "apply", "-f", "-").assertOk();
        cluster.kubectl().run("autoscale", "deployment", "burn", "--cpu-percent=50", "--min=1", "--max=3").assertOk();

        // about 150m used against 50m requested is 300% of the request: the autoscaler goes to its maximum
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("get", "deployment", "burn", "-o", "jsonpath={.spec.replicas}")
                        .stdout()).isEqualTo("3"));
        assertThat(cluster.kubectl().run("get", "hpa", "burn", "-o", "jsonpath={.status.currentMetrics[0].resource.current.averageUtilization}")
                .stdout()).matches("\\d+");
    }

    private static long millicores(String cell) {
        return cell.endsWith("m") ? Long.parseLong(cell.substring(0, cell.length() - 1))
                : Long.parseLong(cell) * 1000;
    }
}

package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real kubectl reads APIServices: {@code kubectl get apiservices} prints upstream's columns. */
class ApiServicesKubectlTest {

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void getApiServicesPrintsServiceAndAvailability() {
        Kubectl kubectl = new Kubectl(server.kubeconfig(), server.dir());
        kubectl.runWithInput("""
                apiVersion: apiregistration.k8s.io/v1
                kind: APIService
                metadata:
                  name: v1beta1.external.metrics.k8s.io
                spec:
                  group: external.metrics.k8s.io
                  version: v1beta1
                  groupPriorityMinimum: 100
                  versionPriority: 100
                  insecureSkipTLSVerify: true
                  service:
                    namespace: monitoring
                    name: adapter
                """, "apply", "-f", "-").ok();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String table = kubectl.run("get", "apiservices").ok().out();
            assertThat(table.lines().findFirst().orElse("")).matches("NAME +SERVICE +AVAILABLE +AGE");
            assertThat(table).containsPattern("(?m)^v1\\.apps +Local +True +\\S+$")
                    .containsPattern("(?m)^v1\\. +Local +True +\\S+$")
                    .containsPattern("(?m)^v1beta1\\.external\\.metrics\\.k8s\\.io +monitoring/adapter +"
                            + "False \\(AggregationNotSupported\\) +\\S+$");
        });
        assertThat(kubectl.run("get", "apiservice", "v2.autoscaling", "-o", "jsonpath={.spec.versionPriority}")
                .ok().out()).isEqualTo("30");
        assertThat(kubectl.run("api-resources", "--api-group", "apiregistration.k8s.io").ok().out())
                .containsPattern("apiservices +apiregistration.k8s.io/v1 +false +APIService");
    }

    /**
     * A group only an unavailable aggregated API has, as upstream's aggregator lists it: in /apis with its version,
     * stale in the aggregated document (so kubectl's discovery leaves it out: {@code api-resources} prints every other
     * resource and succeeds), and its resource list a 503 that kubectl reports in upstream's words.
     */
    @Test
    void anUnavailableAggregatedApiIsDiscoveredAndReportedAsUpstreamDoes() {
        Kubectl kubectl = new Kubectl(server.kubeconfig(), server.dir());
        kubectl.runWithInput("""
                apiVersion: apiregistration.k8s.io/v1
                kind: APIService
                metadata:
                  name: v1beta1.custom.metrics.k8s.io
                spec:
                  group: custom.metrics.k8s.io
                  version: v1beta1
                  groupPriorityMinimum: 100
                  versionPriority: 100
                  insecureSkipTLSVerify: true
                  service:
                    namespace: monitoring
                    name: prometheus-adapter
                """, "apply", "-f", "-").ok();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                kubectl.run("get", "--raw", "/apis").ok().out()).contains("\"custom.metrics.k8s.io/v1beta1\""));
        Kubectl.Result resources = kubectl.run("api-resources").ok();
        assertThat(resources.out()).containsPattern("(?m)^pods +po +v1 +true +Pod$")
                .containsPattern("(?m)^apiservices +apiregistration.k8s.io/v1 +false +APIService$");
        assertThat(resources.err()).isEmpty();
        Kubectl.Result unavailable = kubectl.run("get", "--raw", "/apis/custom.metrics.k8s.io/v1beta1");
        assertThat(unavailable.exit()).isEqualTo(1);
        assertThat(unavailable.err().strip())
                .isEqualTo("Error from server (ServiceUnavailable): the server is currently unable to handle the request");
    }
}

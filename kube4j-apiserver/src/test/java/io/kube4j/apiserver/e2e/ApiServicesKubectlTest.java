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
}

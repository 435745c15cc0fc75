package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kubectl explain} as against upstream: enum values of built-in fields (from OpenAPI v3), and the OpenAPI v2
 * renderer ({@code --output=plaintext-openapiv2}), which reads {@code /openapi/v2} as protobuf, for built-in types
 * and custom resources.
 */
class KubectlExplainTest {

    private static final Path KUBECTL_133 = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.33");
    private static final Path KUBECTL_127 = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.27");

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

    @Test
    void explainDescribesTheRuntimeCsiAndComponentStatusTypes() {
        assertThat(cluster.kubectl().run("explain", "runtimeclass").ok().out())
                .containsPattern("GROUP:\\s+node.k8s.io").containsPattern("KIND:\\s+RuntimeClass")
                .containsPattern("handler\\t<string> -required-").containsPattern("overhead\\t<Overhead>")
                .containsPattern("scheduling\\t<Scheduling>");
        assertThat(cluster.kubectl().run("explain", "runtimeclass.scheduling.tolerations").ok().out())
                .containsPattern("FIELD: tolerations <\\[\\]Toleration>");
        assertThat(cluster.kubectl().run("explain", "cs").ok().out())
                .containsPattern("KIND:\\s+ComponentStatus").containsPattern("conditions\\t<\\[\\]ComponentCondition>");
        assertThat(cluster.kubectl().run("explain", "volumeattachment.spec").ok().out())
                .containsPattern("attacher\\t<string> -required-").containsPattern("nodeName\\t<string> -required-");
        assertThat(cluster.kubectl().run("explain", "csistoragecapacities").ok().out())
                .containsPattern("storageClassName\\t<string> -required-");
    }

    @Test
    void explainDescribesTheReviewMetricsAndWebhookTypes() {
        assertThat(cluster.kubectl().run("explain", "selfsubjectaccessreviews").ok().out())
                .containsPattern("GROUP:\\s+authorization.k8s.io").containsPattern("KIND:\\s+SelfSubjectAccessReview")
                .containsPattern("spec\\t<SelfSubjectAccessReviewSpec>");
        assertThat(cluster.kubectl().run("explain", "tokenreviews.spec").ok().out())
                .containsPattern("FIELD: spec <TokenReviewSpec>").containsPattern("token\\t<string>")
                .containsPattern("audiences\\t<\\[\\]string>");
        assertThat(cluster.kubectl().run("explain", "localsubjectaccessreviews.spec.resourceAttributes").ok().out())
                .containsPattern("verb\\t<string>");
        // explain reads a dotted name as fields: the group is chosen with --api-version, or by the kind's name
        assertThat(cluster.kubectl().run("explain", "nodes", "--api-version=metrics.k8s.io/v1beta1").ok().out())
                .containsPattern("GROUP:\\s+metrics.k8s.io").containsPattern("KIND:\\s+NodeMetrics")
                .containsPattern("usage\\t<map\\[string\\]");
        assertThat(cluster.kubectl().run("explain", "podmetrics.containers").ok().out())
                .containsPattern("KIND:\\s+PodMetrics").containsPattern("name\\t<string>");
        assertThat(cluster.kubectl().run("explain", "validatingwebhookconfigurations.webhooks").ok().out())
                .containsPattern("clientConfig\\t<WebhookClientConfig>");
    }

    @Test
    void createsAReviewWithDefaultClientSideValidation() {
        // kubectl's default --validate=strict looks the kind's POST up in the OpenAPI documents and, now that they
        // have it, asks for server-side field validation
        Path review = cluster.file("ssar.yaml", """
                apiVersion: authorization.k8s.io/v1
                kind: SelfSubjectAccessReview
                spec:
                  resourceAttributes: {verb: list, resource: pods, namespace: default}
                """);
        for (Kubectl k : List.of(cluster.kubectl(), cluster.kubectl(KUBECTL_127))) {
            assertThat(k.run("create", "-f", review.toString(), "-o", "jsonpath={.status.allowed}").ok().out())
                    .isEqualTo("true");
        }
    }

    @Test
    void explainPrintsEnumValuesAsUpstream() {
        String out = cluster.kubectl().run("explain", "pod.spec.restartPolicy").ok().out();
        assertThat(out).contains("FIELD: restartPolicy <string>")
                .containsPattern("ENUM:\\s+Always\\s+Never\\s+OnFailure\\s+DESCRIPTION:")
                .containsPattern("Default to Always\\.[^\\n]*\\n[\\s\\S]*Possible enum values:\\s+- `\"Always\"`\\s+"
                        + "- `\"Never\"`\\s+- `\"OnFailure\"`");
        assertThat(cluster.kubectl().run("explain", "service.spec.type").ok().out())
                .containsPattern("ENUM:\\s+ClusterIP\\s+ExternalName\\s+LoadBalancer\\s+NodePort\\s");
        assertThat(cluster.kubectl().run("explain", "deployment.spec.strategy.type").ok().out())
                .containsPattern("ENUM:\\s+Recreate\\s+RollingUpdate\\s");
        assertThat(cluster.kubectl().run("explain", "cronjob.spec.concurrencyPolicy").ok().out())
                .containsPattern("ENUM:\\s+Allow\\s+Forbid\\s+Replace\\s");
        // a field upstream has no enum for prints none
        assertThat(cluster.kubectl().run("explain", "pod.spec.nodeName").ok().out()).doesNotContain("ENUM:");
    }

    @Test
    void plaintextOpenApiV2ExplainsBuiltinTypes() {
        for (Kubectl k : new Kubectl[]{cluster.kubectl(), cluster.kubectl(KUBECTL_133)}) {
            String pods = k.run("explain", "pods", "--output=plaintext-openapiv2").ok().out();
            assertThat(pods).contains("KIND:     Pod", "VERSION:  v1", "Pod is a collection of containers")
                    .containsPattern("apiVersion\\t<string>").containsPattern("spec\\t<Object>")
                    .containsPattern("status\\t<Object>");
            String containers = k.run("explain", "deployments.spec.template.spec.containers",
                    "--output=plaintext-openapiv2").ok().out();
            assertThat(containers).containsPattern("RESOURCE: containers <\\[\\]Object>")
                    .containsPattern("image\\t<string>").containsPattern("ports\\t<\\[\\]Object>")
                    .containsPattern("name\\t<string> -required-");
            assertThat(k.run("explain", "pods", "--recursive", "--output=plaintext-openapiv2").ok().out())
                    .contains("imagePullPolicy\t<string>", "restartPolicy\t<string>");
        }
    }

    @Test
    void plaintextOpenApiV2ExplainsCustomResources() throws Exception {
        Path crd = cluster.file("gadgets.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gadgets.explain.kube4j.io}
                spec:
                  group: explain.kube4j.io
                  scope: Namespaced
                  names: {plural: gadgets, singular: gadget, kind: Gadget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        description: A gadget of the explain test.
                        properties:
                          spec:
                            type: object
                            description: What the gadget does.
                            required: [mode]
                            properties:
                              mode: {type: string, enum: [fast, slow], description: How fast the gadget runs.}
                              size: {type: integer, description: How big the gadget is.}
                """);
        cluster.kubectl().run("apply", "-f", crd.toString()).ok();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(cluster.kubectl().run("explain", "gadgets.spec", "--output=plaintext-openapiv2").ok().out())
                    .contains("KIND:     Gadget", "What the gadget does.", "How fast the gadget runs.",
                            "How big the gadget is.")
                    .containsPattern("mode\\t<string> -required-").containsPattern("size\\t<integer>");
        });
    }
}

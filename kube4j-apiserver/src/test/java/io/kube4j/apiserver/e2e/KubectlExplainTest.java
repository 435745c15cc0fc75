package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kubectl explain} as against upstream: enum values of built-in fields (from OpenAPI v3), and the OpenAPI v2
 * renderer ({@code --output=plaintext-openapiv2}), which reads {@code /openapi/v2} as protobuf, for built-in types
 * and custom resources.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlExplainTest {

    private static final Path KUBECTL_133 = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.33");

    private Path dir;
    private TestServer server;
    private Kubectl kubectl;

    @BeforeAll
    void start(@TempDir Path dir) {
        this.dir = dir;
        server = TestServer.start(dir);
        kubectl = new Kubectl(server.kubeconfig(), dir);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static Kubectl.Result ok(Kubectl.Result result) {
        assertThat(result.exit()).as(result.all()).isZero();
        return result;
    }

    @Test
    void explainPrintsEnumValuesAsUpstream() {
        String out = ok(kubectl.run("explain", "pod.spec.restartPolicy")).out();
        assertThat(out).contains("FIELD: restartPolicy <string>")
                .containsPattern("ENUM:\\s+Always\\s+Never\\s+OnFailure\\s+DESCRIPTION:")
                .containsPattern("Default to Always\\.[^\\n]*\\n[\\s\\S]*Possible enum values:\\s+- `\"Always\"`\\s+"
                        + "- `\"Never\"`\\s+- `\"OnFailure\"`");
        assertThat(ok(kubectl.run("explain", "service.spec.type")).out())
                .containsPattern("ENUM:\\s+ClusterIP\\s+ExternalName\\s+LoadBalancer\\s+NodePort\\s");
        assertThat(ok(kubectl.run("explain", "deployment.spec.strategy.type")).out())
                .containsPattern("ENUM:\\s+Recreate\\s+RollingUpdate\\s");
        assertThat(ok(kubectl.run("explain", "cronjob.spec.concurrencyPolicy")).out())
                .containsPattern("ENUM:\\s+Allow\\s+Forbid\\s+Replace\\s");
        // a field upstream has no enum for prints none
        assertThat(ok(kubectl.run("explain", "pod.spec.nodeName")).out()).doesNotContain("ENUM:");
    }

    @Test
    void plaintextOpenApiV2ExplainsBuiltinTypes() {
        for (Kubectl k : new Kubectl[]{kubectl, new Kubectl(KUBECTL_133, server.kubeconfig(), dir)}) {
            String pods = ok(k.run("explain", "pods", "--output=plaintext-openapiv2")).out();
            assertThat(pods).contains("KIND:     Pod", "VERSION:  v1", "Pod is a collection of containers")
                    .containsPattern("apiVersion\\t<string>").containsPattern("spec\\t<Object>")
                    .containsPattern("status\\t<Object>");
            String containers = ok(k.run("explain", "deployments.spec.template.spec.containers",
                    "--output=plaintext-openapiv2")).out();
            assertThat(containers).containsPattern("RESOURCE: containers <\\[\\]Object>")
                    .containsPattern("image\\t<string>").containsPattern("ports\\t<\\[\\]Object>")
                    .containsPattern("name\\t<string> -required-");
            assertThat(ok(k.run("explain", "pods", "--recursive", "--output=plaintext-openapiv2")).out())
                    .contains("imagePullPolicy\t<string>", "restartPolicy\t<string>");
        }
    }

    @Test
    void plaintextOpenApiV2ExplainsCustomResources() throws Exception {
        Path crd = dir.resolve("gadgets.yaml");
        Files.writeString(crd, """
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
        ok(kubectl.run("apply", "-f", crd.toString()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Kubectl.Result explain = kubectl.run("explain", "gadgets.spec", "--output=plaintext-openapiv2");
            assertThat(explain.exit()).as(explain.all()).isZero();
            assertThat(explain.out()).contains("KIND:     Gadget", "What the gadget does.",
                            "How fast the gadget runs.", "How big the gadget is.")
                    .containsPattern("mode\\t<string> -required-").containsPattern("size\\t<integer>");
        });
    }
}

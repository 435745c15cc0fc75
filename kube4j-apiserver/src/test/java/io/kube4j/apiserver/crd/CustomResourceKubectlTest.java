package io.kube4j.apiserver.crd;

import io.kube4j.apiserver.e2e.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real kubectl against a started server: a CRD, its custom resources, their columns, scale, status, deletion. */
class CustomResourceKubectlTest {

    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.example.kube4j.io
            spec:
              group: example.kube4j.io
              scope: Namespaced
              names:
                plural: widgets
                singular: widget
                kind: Widget
                shortNames: [wd]
                categories: [all]
              versions:
              - name: v1
                served: true
                storage: true
                subresources:
                  status: {}
                  scale:
                    specReplicasPath: .spec.replicas
                    statusReplicasPath: .status.replicas
                    labelSelectorPath: .status.selector
                additionalPrinterColumns:
                - name: Image
                  type: string
                  jsonPath: .spec.image
                - name: Replicas
                  type: integer
                  jsonPath: .spec.replicas
                - name: Mode
                  type: string
                  priority: 1
                  jsonPath: .spec.mode
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        required: [image]
                        properties:
                          image: {type: string}
                          replicas: {type: integer, minimum: 0}
                          mode: {type: string, default: fast}
                      status:
                        type: object
                        properties:
                          replicas: {type: integer}
                          selector: {type: string}
            """;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void crdLifecycleWithKubectl() throws Exception {
        ok(kubectl("create", "-f", file("crd.yaml", CRD)));
        ok(kubectl("wait", "--for", "condition=established", "--timeout=30s", "crd/widgets.example.kube4j.io"));
        String withJunk = """
                apiVersion: example.kube4j.io/v1
                kind: Widget
                metadata: {name: w1, namespace: default}
                spec: {image: nginx, replicas: 2, junk: dropped}
                """;
        // kubectl asks for fieldValidation=Strict by default (since 1.27): an unknown field is refused
        Result strict = kubectl("create", "-f", file("w1.yaml", withJunk));
        assertThat(strict.exit).isNotZero();
        assertThat(strict.err).contains("strict decoding error: unknown field \"spec.junk\"");
        assertThat(kubectl("get", "widget", "w1").exit).isNotZero();
        // without validation it is pruned, as upstream prunes what the structural schema does not specify
        ok(kubectl("create", "--validate=false", "-f", file("w1.yaml", withJunk)));

        String table = ok(kubectl("get", "widgets")).out;
        assertThat(table).contains("NAME", "IMAGE", "REPLICAS").contains("w1").contains("nginx").doesNotContain("MODE");
        assertThat(ok(kubectl("get", "wd", "-o", "wide")).out).contains("MODE").contains("fast");
        assertThat(ok(kubectl("get", "Widget", "w1", "-o", "jsonpath={.spec}")).out)
                .contains("\"mode\":\"fast\"").doesNotContain("junk");

        Result invalid = kubectl("create", "-f", file("bad.yaml", """
                apiVersion: example.kube4j.io/v1
                kind: Widget
                metadata: {name: bad, namespace: default}
                spec: {image: nginx, replicas: "string"}
                """));
        assertThat(invalid.exit).isNotZero();
        assertThat(invalid.err).contains("spec.replicas: Invalid value: \"string\": spec.replicas in body must be "
                + "of type integer: \"string\"");

        ok(kubectl("scale", "widget/w1", "--replicas=5"));
        assertThat(ok(kubectl("get", "widget", "w1", "-o", "jsonpath={.spec.replicas}")).out).isEqualTo("5");
        // a custom resource's Scale is printed with the resource's own columns, as upstream's scale endpoint asks
        // the resource's store: the Scale has no .spec.image (a null cell, printed empty)
        assertThat(ok(kubectl("get", "widget", "w1", "--subresource=scale")).out)
                .matches("(?s)NAME\\s+IMAGE\\s+REPLICAS\\s+w1\\s+5\\s*");

        Result sp = kubectl("patch", "widget", "w1", "-p", "{\"spec\":{\"image\":\"x\"}}");
        assertThat(sp.exit).isNotZero();
        assertThat(sp.err).contains("the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        ok(kubectl("patch", "widget", "w1", "--type", "merge", "--subresource", "status",
                "-p", "{\"status\":{\"replicas\":3},\"spec\":{\"image\":\"ignored\"}}"));
        assertThat(ok(kubectl("get", "widget", "w1", "-o", "jsonpath={.status.replicas}/{.spec.image}")).out)
                .isEqualTo("3/nginx");

        assertThat(ok(kubectl("api-resources", "--api-group", "example.kube4j.io")).out).contains("widgets")
                .contains("wd");

        ok(kubectl("delete", "crd", "widgets.example.kube4j.io", "--timeout=30s"));
        assertThat(server.store().list("/registry/example.kube4j.io/widgets/").items()).isEmpty();
        Result gone = kubectl("get", "--raw", "/apis/example.kube4j.io/v1/namespaces/default/widgets");
        assertThat(gone.exit).isNotZero();
    }

    record Result(int exit, String out, String err) {
    }

    private static Result ok(Result r) {
        assertThat(r.exit).as(r.out + r.err).isZero();
        return r;
    }

    private static String file(String name, String text) throws IOException {
        Path path = server.dir().resolve(name);
        Files.writeString(path, text);
        return path.toString();
    }

    private static Result kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig",
                server.kubeconfig().toString(), "--cache-dir", server.dir().resolve("cache").toString()));
        command.addAll(List.of(args));
        Path out = server.dir().resolve("out.txt");
        Path err = server.dir().resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("kubectl did not finish: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}

package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Protobuf bodies, OpenAPI, managedFields and server-side apply, over HTTP and with the real kubectl. */
class ServerSideApplyTest {

    private static final String APPLY = "application/apply-patch+yaml";

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void imperativeCreatesSendProtobufAndBadProtobufIsABadRequest() {
        cluster.kubectl().run("create", "namespace", "pb").ok();
        cluster.kubectl().run("create", "configmap", "x", "-n", "pb", "--from-literal=a=b").ok();
        cluster.kubectl().run("create", "secret", "generic", "s", "-n", "pb", "--from-literal=p=q").ok();
        cluster.kubectl().run("create", "deployment", "d", "-n", "pb", "--image=nginx:1.25").ok();
        cluster.kubectl().run("create", "service", "clusterip", "svc", "-n", "pb", "--tcp=80:8080").ok();
        assertThat(cluster.kubectl().run("get", "cm", "x", "-n", "pb", "-o", "jsonpath={.data.a}").ok().out())
                .isEqualTo("b");
        assertThat(cluster.kubectl().run("get", "svc", "svc", "-n", "pb", "-o", "jsonpath={.spec.clusterIP}")
                .ok().out()).isNotEmpty();
        // what the server's own decoder used to cover: garbage and unknown kinds are a 400 Status, nothing stored
        for (String body : new String[] {"\u0001\u0002\u0003", "k8s\u0000\u0012\u007f"}) {
            HttpResponse<String> r = cluster.server().send("POST", "/api/v1/namespaces/pb/configmaps",
                    "application/vnd.kubernetes.protobuf", body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(json(r).path("kind").asString()).isEqualTo("Status");
        }
        // an envelope of a kind there is no schema for: k8s\0 + Unknown{typeMeta{v1, Widget}}
        String widget = "k8s\u0000\n\u000b\n\u0002v1\u0012\u0006Widget";
        HttpResponse<String> r = cluster.server().send("POST", "/api/v1/namespaces/pb/configmaps",
                "application/vnd.kubernetes.protobuf", widget);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    }

    @Test
    void openApiDocumentsDescribeBuiltinTypes() throws Exception {
        JsonNode index = json(cluster.server().get("/openapi/v3"));
        String url = index.path("paths").path("apis/apps/v1").path("serverRelativeURL").asString();
        assertThat(url).startsWith("/openapi/v3/apis/apps/v1?hash=");
        JsonNode apps = json(cluster.server().get(url));
        assertThat(apps.path("components").path("schemas").has("io.k8s.api.apps.v1.Deployment")).isTrue();
        JsonNode v2 = json(cluster.server().get("/openapi/v2", "Accept", "application/json"));
        assertThat(v2.path("definitions").has("io.k8s.api.core.v1.Pod")).isTrue();
        HttpResponse<String> proto = cluster.server().get("/openapi/v2",
                "Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
        assertThat(proto.statusCode()).isEqualTo(200);
        assertThat(cluster.kubectl().run("explain", "pods.spec.containers").ok().out()).contains("imagePullPolicy");
        Path cm = cluster.file("oa-cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: validated
                  namespace: default
                data: {a: b}
                """);
        cluster.kubectl().run("apply", "-f", cm.toString()).ok();
    }

    @Test
    void managedFieldsAreKeptOnEveryWrite() {
        HttpResponse<String> created = cluster.server().send("POST",
                "/api/v1/namespaces/default/configmaps?fieldManager=maker",
                "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"mf\"},"
                        + "\"data\":{\"a\":\"b\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode entry = json(created).path("metadata").path("managedFields").get(0);
        assertThat(entry.path("manager").asString()).isEqualTo("maker");
        assertThat(entry.path("operation").asString()).isEqualTo("Update");
        assertThat(entry.path("fieldsV1").path("f:data").has("f:a")).isTrue();
        HttpResponse<String> patched = cluster.server().send("PATCH", "/api/v1/namespaces/default/configmaps/mf",
                "application/merge-patch+json", "{\"data\":{\"c\":\"d\"}}", "User-Agent", "patcher/v1.0 (linux)");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).path("metadata").path("managedFields").findValuesAsString("manager"))
                .containsExactlyInAnyOrder("maker", "patcher");
        HttpResponse<String> longManager = cluster.server().send("PATCH", "/api/v1/namespaces/default/configmaps/mf"
                + "?fieldManager=" + "m".repeat(129), "application/merge-patch+json", "{\"data\":{\"c\":\"e\"}}");
        assertThat(longManager.statusCode()).as(longManager.body()).isEqualTo(422);
        assertThat(longManager.body()).contains("fieldManager");
        HttpResponse<String> force = cluster.server().send("PATCH",
                "/api/v1/namespaces/default/configmaps/mf?force=true",
                "application/merge-patch+json", "{\"data\":{\"c\":\"e\"}}");
        assertThat(force.statusCode()).as(force.body()).isEqualTo(422);
        // managedFields the client sends that cannot be read are replaced by the live ones, as upstream does
        HttpResponse<String> invalidEntry = cluster.server().send("PUT", "/api/v1/namespaces/default/configmaps/mf",
                "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"mf\","
                        + "\"managedFields\":[{\"manager\":\"m\",\"operation\":\"Sideways\",\"fieldsType\":\"FieldsV1\","
                        + "\"fieldsV1\":{\"f:data\":{}}}]},\"data\":{\"a\":\"b\"}}");
        assertThat(invalidEntry.statusCode()).as(invalidEntry.body()).isEqualTo(200);
        assertThat(json(invalidEntry).path("metadata").path("managedFields").findValuesAsString("operation"))
                .doesNotContain("Sideways");
    }

    @Test
    void applyOverHttpCreatesConflictsAndForces() {
        String path = "/api/v1/namespaces/default/configmaps/ssa";
        String config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: one\n";
        HttpResponse<String> missingManager = cluster.server().send("PATCH", path, APPLY, config);
        assertThat(missingManager.statusCode()).as(missingManager.body()).isEqualTo(422);
        assertThat(missingManager.body()).contains("fieldManager");
        HttpResponse<String> created = cluster.server().send("PATCH", path + "?fieldManager=alice", APPLY, config);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode entry = json(created).path("metadata").path("managedFields").get(0);
        assertThat(entry.path("operation").asString()).isEqualTo("Apply");
        assertThat(entry.path("manager").asString()).isEqualTo("alice");
        HttpResponse<String> again = cluster.server().send("PATCH", path + "?fieldManager=alice", APPLY,
                config.replace("one", "two"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).path("data").path("a").asString()).isEqualTo("two");
        HttpResponse<String> conflict = cluster.server().send("PATCH", path + "?fieldManager=bob", APPLY,
                config.replace("one", "three"));
        assertThat(conflict.statusCode()).as(conflict.body()).isEqualTo(409);
        JsonNode status = json(conflict);
        assertThat(status.path("reason").asString()).isEqualTo("Conflict");
        assertThat(status.path("details").path("causes").get(0).path("field").asString()).isEqualTo(".data.a");
        assertThat(status.path("message").asString()).contains("conflict with \"alice\"");
        HttpResponse<String> forced = cluster.server().send("PATCH", path + "?fieldManager=bob&force=true", APPLY,
                config.replace("one", "three"));
        assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
        assertThat(json(forced).path("data").path("a").asString()).isEqualTo("three");
        HttpResponse<String> wrongKind = cluster.server().send("PATCH", path + "?fieldManager=bob", APPLY,
                config.replace("ConfigMap", "Secret"));
        assertThat(wrongKind.statusCode()).as(wrongKind.body()).isEqualTo(400);
        assertThat(cluster.server().send("PATCH", path + "?fieldManager=bob", APPLY, "a: [").statusCode())
                .isEqualTo(400);
    }

    @Test
    void kubectlServerSideApply() throws Exception {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: ssa-web
                  namespace: default
                spec:
                  replicas: 2
                  selector:
                    matchLabels: {app: ssa-web}
                  template:
                    metadata:
                      labels: {app: ssa-web}
                    spec:
                      containers:
                      - name: nginx
                        image: nginx:1.25
                """;
        Path file = cluster.file("ssa-deploy.yaml", deployment);
        assertThat(cluster.kubectl().run("apply", "--server-side", "-f", file.toString()).ok().out())
                .contains("deployment.apps/ssa-web serverside-applied");
        cluster.file("ssa-deploy.yaml", deployment.replace("replicas: 2", "replicas: 3"));
        cluster.kubectl().run("apply", "--server-side", "-f", file.toString()).ok();
        assertThat(cluster.kubectl().run("get", "deploy", "ssa-web", "-o", "jsonpath={.spec.replicas}").ok().out())
                .isEqualTo("3");
        Kubectl.Result conflict = cluster.kubectl().run("apply", "--server-side", "--field-manager=other", "-f",
                cluster.file("ssa-deploy.yaml", deployment.replace("replicas: 2", "replicas: 4")).toString());
        assertThat(conflict.exit()).isNotZero();
        assertThat(conflict.err()).contains("conflict", "kubectl", ".spec.replicas");
        cluster.kubectl().run("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f",
                file.toString()).ok();
        assertThat(cluster.kubectl().run("get", "deploy", "ssa-web", "-o", "jsonpath={.spec.replicas}").ok().out())
                .isEqualTo("4");
        String yaml = cluster.kubectl().run("get", "deploy", "ssa-web", "-o", "yaml",
                "--show-managed-fields").ok().out();
        assertThat(yaml).contains("managedFields:", "manager: other", "operation: Apply");
        assertThat(cluster.kubectl().run("get", "deploy", "ssa-web", "-o", "yaml").ok().out())
                .doesNotContain("managedFields");
    }

    @Test
    void duplicateFieldsAreRefusedWhenStrictAndWarnedOtherwise() {
        String url = "/api/v1/namespaces/default/configmaps";
        String twice = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"NAME\"},"
                + "\"data\":{\"a\":\"1\",\"a\":\"2\"},\"bogus\":true}";
        HttpResponse<String> strict = cluster.server().send("POST", url + "?fieldValidation=Strict", "application/json",
                twice.replace("NAME", "dup-strict"));
        assertThat(strict.statusCode()).as(strict.body()).isEqualTo(400);
        assertThat(json(strict).path("message").asString()).isEqualTo("ConfigMap in version \"v1\" cannot be "
                + "handled as a ConfigMap: strict decoding error: unknown field \"bogus\", duplicate field \"a\"");
        assertThat(cluster.server().get(url + "/dup-strict").statusCode()).isEqualTo(404);
        HttpResponse<String> warn = cluster.server().send("POST", url, "application/json",
                twice.replace("NAME", "dup-warn"));
        assertThat(warn.statusCode()).as(warn.body()).isEqualTo(201);
        assertThat(warn.headers().firstValue("Warning").orElse("")).contains("duplicate field \\\"a\\\"");
        assertThat(json(warn).path("data").path("a").asString()).isEqualTo("2");
        // YAML bodies name the line, as upstream's YAML decoder does
        HttpResponse<String> yaml = cluster.server().send("POST", url + "?fieldValidation=Strict", "application/yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: dup-yaml
                  name: dup-yaml
                """);
        assertThat(yaml.statusCode()).as(yaml.body()).isEqualTo(400);
        assertThat(json(yaml).path("message").asString())
                .isEqualTo("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: "
                        + "strict decoding error: line 5: key \"name\" already set in map");
        // apply configurations are checked too: unknown fields are refused whatever the directive
        HttpResponse<String> apply = cluster.server().send("PATCH",
                url + "/dup-apply?fieldManager=m&fieldValidation=Strict",
                APPLY, """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: dup-apply
                spec: {}
                """);
        assertThat(apply.statusCode()).as(apply.body()).isEqualTo(400);
        assertThat(json(apply).path("message").asString()).isEqualTo("failed to create typed patch object "
                + "(/dup-apply; /v1, Kind=ConfigMap): .spec: field not declared in schema");
        HttpResponse<String> applyWarn = cluster.server().send("PATCH", url + "/dup-apply?fieldManager=m", APPLY, """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: dup-apply
                spec: {}
                """);
        assertThat(applyWarn.statusCode()).as(applyWarn.body()).isEqualTo(400);
        assertThat(cluster.server().get(url + "/dup-apply").statusCode()).isEqualTo(404);
    }

    @Test
    void fieldValidationStrictWarnIgnore() throws Exception {
        String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"NAME\",\"bogus\":1},"
                + "\"data\":{\"free\":\"form\"},\"spec\":{\"foo\":1}}";
        String url = "/api/v1/namespaces/default/configmaps";
        HttpResponse<String> strict = cluster.server().send("POST", url + "?fieldValidation=Strict", "application/json",
                cm.replace("NAME", "fv-strict"));
        assertThat(strict.statusCode()).as(strict.body()).isEqualTo(400);
        assertThat(json(strict).path("message").asString()).isEqualTo("ConfigMap in version \"v1\" cannot be "
                + "handled as a ConfigMap: strict decoding error: unknown field \"metadata.bogus\", "
                + "unknown field \"spec\"");
        assertThat(cluster.server().get(url + "/fv-strict").statusCode()).isEqualTo(404);
        HttpResponse<String> warn = cluster.server().send("POST", url, "application/json",
                cm.replace("NAME", "fv-warn"));
        assertThat(warn.statusCode()).as(warn.body()).isEqualTo(201);
        assertThat(warn.headers().firstValue("Warning").orElse(""))
                .contains("299 - \"unknown field \\\"spec\\\"\"");
        assertThat(json(warn).has("spec")).isFalse();
        assertThat(json(warn).path("data").path("free").asString()).isEqualTo("form");
        HttpResponse<String> ignore = cluster.server().send("POST", url + "?fieldValidation=Ignore", "application/json",
                cm.replace("NAME", "fv-ignore"));
        assertThat(ignore.statusCode()).isEqualTo(201);
        assertThat(ignore.headers().firstValue("Warning")).isEmpty();
        assertThat(cluster.server().send("POST", url + "?fieldValidation=Loose", "application/json",
                cm.replace("NAME", "fv-x")).statusCode()).isEqualTo(400);
        HttpResponse<String> nested = cluster.server().send("PATCH", "/apis/apps/v1/namespaces/default/deployments/nope"
                + "?fieldValidation=Strict", "application/merge-patch+json", "{}");
        assertThat(nested.statusCode()).isEqualTo(404);
        Path pod = cluster.file("fv-pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: fv-pod
                  namespace: default
                spec:
                  containers:
                  - name: c
                    image: busybox
                    colour: blue
                """);
        Kubectl.Result refused = cluster.kubectl().run("create", "-f", pod.toString());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("unknown field \"spec.containers[0].colour\"");
        Kubectl.Result warned = cluster.kubectl().run("create", "--validate=warn", "-f", pod.toString()).ok();
        assertThat(warned.err()).contains("Warning: unknown field \"spec.containers[0].colour\"");
    }
}

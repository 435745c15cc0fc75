package io.kube4j.apiserver.crd;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.apiserver.json.Json;
import io.kube4j.store.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Custom resources through the fabric8 client (GenericKubernetesResource), raw HTTP and the real kubectl against an
 * in-process API server: defaults on read, versions with the None conversion, the status subresource, categories,
 * and the CRD schemas in OpenAPI (kubectl explain, kubectl apply's validation).
 */
class CustomResourceApiTest {

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url())
                .withNamespace("default").withRequestRetryBackoffLimit(0).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    // ---- defaults on read ----

    @Test
    void aDefaultAddedLaterIsSeenOnGetListAndWatchWithoutRewritingStoredObjects() throws Exception {
        String crd = """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gadgets.defaults.kube4j.io}
                spec:
                  group: defaults.kube4j.io
                  scope: Namespaced
                  names: {plural: gadgets, singular: gadget, kind: Gadget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              size: {type: integer}
                              %s
                """;
        createCrd(crd.formatted(""));
        var gadgets = client.genericKubernetesResources(context("defaults.kube4j.io", "v1", "Gadget", "gadgets"))
                .inNamespace("default");
        gadgets.resource(resource("defaults.kube4j.io/v1", "Gadget", "g1", Map.of("size", 1))).create();
        String key = "/registry/defaults.kube4j.io/gadgets/default/g1";
        assertThat(spec(gadgets.withName("g1").get())).doesNotContainKey("mode");

        BlockingQueue<GenericKubernetesResource> events = new LinkedBlockingQueue<>();
        try (Watch ignored = gadgets.watch(collect(events))) {
            client.resource(crdObject(crd.formatted("mode: {type: string, default: fast}"))).update();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(spec(gadgets.withName("g1").get())).containsEntry("mode", "fast"));
            assertThat(gadgets.list().getItems()).extracting(r -> spec(r).get("mode")).containsExactly("fast");
            assertThat(rawStored(key)).as("read defaults are not written back").doesNotContain("mode");
            assertThat(server.get("/apis/defaults.kube4j.io/v1/namespaces/default/gadgets?resourceVersion=0").body())
                    .as("the watch cache's lists too").contains("\"mode\":\"fast\"");

            // the watch ends with the old cache and fabric8 re-watches; the next event carries the default
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                GenericKubernetesResource g = gadgets.withName("g1").get();
                spec(g).put("size", ((Number) spec(g).get("size")).intValue() + 1);
                gadgets.resource(g).update();
                GenericKubernetesResource event = events.poll(2, TimeUnit.SECONDS);
                assertThat(event).isNotNull();
                assertThat(spec(event)).containsEntry("mode", "fast");
            });
        }
    }

    // ---- versions, conversion None ----

    @Test
    void versionsShareStorageInTheStorageVersionAndAreServedInTheirOwn() throws Exception {
        createCrd("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: things.versions.kube4j.io}
                spec:
                  group: versions.kube4j.io
                  scope: Namespaced
                  names: {plural: things, singular: thing, kind: Thing}
                  conversion: {strategy: None}
                  versions:
                  - name: v1
                    served: true
                    storage: false
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec: {type: object, properties: {color: {type: string}}}
                  - name: v2
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec: {type: object, properties: {color: {type: string}}}
                """);
        var v1 = client.genericKubernetesResources(context("versions.kube4j.io", "v1", "Thing", "things"))
                .inNamespace("default");
        var v2 = client.genericKubernetesResources(context("versions.kube4j.io", "v2", "Thing", "things"))
                .inNamespace("default");
        BlockingQueue<GenericKubernetesResource> v1Events = new LinkedBlockingQueue<>();
        try (Watch ignored = v1.watch(collect(v1Events))) {
            GenericKubernetesResource created = v1.resource(resource("versions.kube4j.io/v1", "Thing", "t1",
                    Map.of("color", "red"))).create();
            assertThat(created.getApiVersion()).isEqualTo("versions.kube4j.io/v1");
            assertThat(Json.parse(rawStored("/registry/versions.kube4j.io/things/default/t1")
                    .getBytes(StandardCharsets.UTF_8))
                    .path("apiVersion").asString()).as("stored in the storage version").isEqualTo("versions.kube4j.io/v2");

            assertThat(v2.withName("t1").get().getApiVersion()).isEqualTo("versions.kube4j.io/v2");
            assertThat(v1.withName("t1").get().getApiVersion()).isEqualTo("versions.kube4j.io/v1");
            assertThat(v1.list().getItems()).extracting(GenericKubernetesResource::getApiVersion)
                    .containsOnly("versions.kube4j.io/v1");
            assertThat(server.get("/apis/versions.kube4j.io/v1/namespaces/default/things?resourceVersion=0").body())
                    .contains("\"apiVersion\":\"versions.kube4j.io/v1\"").doesNotContain("versions.kube4j.io/v2");

            v2.resource(resource("versions.kube4j.io/v2", "Thing", "t2", Map.of("color", "blue"))).create();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(v1Events)
                    .anySatisfy(e -> assertThat(e.getMetadata().getName()).isEqualTo("t2")));
            assertThat(v1Events).extracting(GenericKubernetesResource::getApiVersion)
                    .containsOnly("versions.kube4j.io/v1");
        }
    }

    // ---- status subresource ----

    @Test
    void statusIsIgnoredOnTheMainResourceAndSpecOnStatus() throws Exception {
        createCrd("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gizmos.status.kube4j.io}
                spec:
                  group: status.kube4j.io
                  scope: Namespaced
                  names: {plural: gizmos, singular: gizmo, kind: Gizmo}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    subresources: {status: {}}
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec: {type: object, properties: {size: {type: integer}}}
                          status: {type: object, properties: {ready: {type: integer}}}
                """);
        var gizmos = client.genericKubernetesResources(context("status.kube4j.io", "v1", "Gizmo", "gizmos"))
                .inNamespace("default");
        GenericKubernetesResource toCreate = resource("status.kube4j.io/v1", "Gizmo", "z1", Map.of("size", 1));
        toCreate.setAdditionalProperty("status", new HashMap<>(Map.of("ready", 5)));
        GenericKubernetesResource created = gizmos.resource(toCreate).create();
        assertThat(created.getAdditionalProperties()).as("status dropped on create").doesNotContainKey("status");

        created.setAdditionalProperty("status", new HashMap<>(Map.of("ready", 1)));
        spec(created).put("size", 9);
        GenericKubernetesResource statusUpdated = gizmos.resource(created).updateStatus();
        assertThat(statusUpdated.getAdditionalProperties().get("status")).isEqualTo(Map.of("ready", 1));
        assertThat(spec(statusUpdated)).as("spec ignored on /status").containsEntry("size", 1);

        statusUpdated.setAdditionalProperty("status", new HashMap<>(Map.of("ready", 7)));
        spec(statusUpdated).put("size", 2);
        GenericKubernetesResource updated = gizmos.resource(statusUpdated).update();
        assertThat(spec(updated)).containsEntry("size", 2);
        assertThat(updated.getAdditionalProperties().get("status")).as("status ignored on the main resource")
                .isEqualTo(Map.of("ready", 1));
        assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);
    }

    // ---- OpenAPI, kubectl ----

    private static final String WIDGETS = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.GROUP}
            spec:
              group: GROUP
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wdg], categories: [all]}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    description: A widget of the test.
                    properties:
                      spec:
                        type: object
                        description: What the widget should look like.
                        properties:
                          replicas: {type: integer, description: How many copies of the widget run.}
                          %s
            """;

    /** The machine's kubectl (the dispatcher) and the oldest, a middle and the newest of the versioned ones. */
    @ParameterizedTest
    @ValueSource(strings = {"", "1.27", "1.30", "1.33"})
    void crdSchemasAreInOpenApiForExplainAndApply(String version) throws Exception {
        String word = "openapi" + version.replace(".", "");
        String group = word + ".kube4j.io";
        String definition = "io.kube4j." + word + ".v1.Widget";
        Path binary = version.isEmpty() ? Path.of("/usr/bin/kubectl")
                : Path.of("/usr/lib/google-cloud-sdk/bin/kubectl." + version);
        Path cache = server.dir().resolve("kubectl-cache-" + word);
        String widgets = WIDGETS.replace("GROUP", group);
        createCrd(widgets.formatted(""));

        JsonNode index = Json.parse(server.get("/openapi/v3").body().getBytes(StandardCharsets.UTF_8));
        String url = index.path("paths").path("apis/" + group + "/v1").path("serverRelativeURL").asString();
        assertThat(url).startsWith("/openapi/v3/apis/" + group + "/v1?hash=");
        JsonNode doc = Json.parse(server.get(url).body().getBytes(StandardCharsets.UTF_8));
        assertThat(doc.path("components").path("schemas").path(definition)
                .path("x-kubernetes-group-version-kind").get(0).path("kind").asString()).isEqualTo("Widget");
        assertThat(doc.path("components").path("schemas").has(definition + "List")).isTrue();
        assertThat(server.get("/openapi/v2").body()).contains("\"" + definition + "\"")
                .contains("/apis/" + group + "/v1/namespaces/{namespace}/widgets/{name}");

        Result explain = ok(kubectl(binary, cache, "explain", "widgets.spec"));
        assertThat(explain.out).contains("What the widget should look like.").contains("replicas")
                .contains("How many copies of the widget run.");

        Result wrong = kubectl(binary, cache, "apply", "-f", file(word + "-wrong.yaml", """
                apiVersion: GROUP/v1
                kind: Widget
                metadata: {name: wrong, namespace: default}
                spec: {replicas: "three"}
                """.replace("GROUP", group)));
        assertThat(wrong.exit).isNotZero();
        assertThat(wrong.err).contains("spec.replicas: Invalid value: \"string\": spec.replicas in body must be of "
                + "type integer: \"string\"");
        ok(kubectl(binary, cache, "apply", "-f", file(word + "-good.yaml", """
                apiVersion: GROUP/v1
                kind: Widget
                metadata: {name: good, namespace: default}
                spec: {replicas: 3}
                """.replace("GROUP", group))));
        assertThat(ok(kubectl(binary, cache, "get", "all", "-n", "default")).out).contains("widget." + group + "/good");

        // apply of a change (a client-side three-way patch: a merge patch, custom resources have no strategic one)
        String changed = file(word + "-changed.yaml", """
                apiVersion: GROUP/v1
                kind: Widget
                metadata: {name: good, namespace: default}
                spec: {replicas: 4}
                """.replace("GROUP", group));
        Result diff = kubectl(binary, cache, "diff", "-f", changed);
        assertThat(diff.exit).as(diff.out + diff.err).isEqualTo(1);
        assertThat(diff.out).contains("-  replicas: 3").contains("+  replicas: 4");
        ok(kubectl(binary, cache, "apply", "-f", changed));
        assertThat(ok(kubectl(binary, cache, "get", "widget", "good", "-o", "jsonpath={.spec.replicas}")).out)
                .isEqualTo("4");

        // a changed schema: a new hash in the index, so kubectl refetches and explains the new field
        String before = url;
        client.resource(crdObject(widgets.formatted("color: {type: string, description: The widget's paint.}")))
                .update();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                Json.parse(server.get("/openapi/v3").body().getBytes(StandardCharsets.UTF_8)).path("paths")
                        .path("apis/" + group + "/v1").path("serverRelativeURL").asString()).isNotEqualTo(before));
        assertThat(ok(kubectl(binary, cache, "explain", "widgets.spec.color")).out).contains("The widget's paint.");

        ok(kubectl(binary, cache, "delete", "crd", "widgets." + group, "--timeout=30s"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(server.get("/openapi/v3").body()).doesNotContain("apis/" + group + "/v1");
            assertThat(server.get("/openapi/v2").body()).doesNotContain(definition);
        });
        assertThat(server.store().list("/registry/" + group + "/widgets/").items()).isEmpty();
    }

    // ---- helpers ----

    private static void createCrd(String yaml) {
        CustomResourceDefinition crd = client.resource(crdObject(yaml)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            CustomResourceDefinition current = client.apiextensions().v1().customResourceDefinitions()
                    .withName(crd.getMetadata().getName()).get();
            return current.getStatus() != null && current.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
        });
    }

    /** The CRD of {@code yaml}, with the live resourceVersion when it exists (for an update). */
    private static CustomResourceDefinition crdObject(String yaml) {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).item();
        CustomResourceDefinition live = client.apiextensions().v1().customResourceDefinitions()
                .withName(crd.getMetadata().getName()).get();
        if (live != null) {
            crd.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
        }
        return crd;
    }

    private static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    private static GenericKubernetesResource resource(String apiVersion, String kind, String name,
                                                      Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(apiVersion);
        r.setKind(kind);
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace("default")
                .build());
        r.setAdditionalProperty("spec", new HashMap<>(spec));
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().get("spec");
    }

    private static Watcher<GenericKubernetesResource> collect(BlockingQueue<GenericKubernetesResource> into) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                into.add(resource);
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    private static String rawStored(String key) {
        KeyValue kv = server.store().get(key).orElseThrow();
        return new String(kv.value(), StandardCharsets.UTF_8);
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

    private static Result kubectl(Path binary, Path cache, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig",
                server.kubeconfig().toString(), "--cache-dir", cache.toString()));
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

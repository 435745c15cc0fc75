package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The meta.k8s.io representations upstream's handlers convert any answer to (response.go's transformObject), over raw
 * HTTP: PartialObjectMetadata on get, create and watch (bookmarks too), PartialObjectMetadataList on list, in v1 and
 * v1beta1, in JSON and YAML, for built-in kinds and custom resources; Tables in the version asked; the 406s upstream
 * answers for a representation the answer cannot have. Content-Type stays the serializer's own, as upstream's
 * transformResponseObject writes it (no conversion parameters: only discovery names them).
 */
class PartialObjectMetadataApiTest {

    private static final String POM = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";
    private static final String POM_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
    /** What client-go's metadata client sends for a list (the watch and get ask as=PartialObjectMetadata). */
    private static final String METADATA_CLIENT_LIST = "application/vnd.kubernetes.protobuf;"
            + "as=PartialObjectMetadataList;g=meta.k8s.io;v=v1," + POM_LIST + ",application/json";
    private static final String METADATA_CLIENT = "application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;"
            + "g=meta.k8s.io;v=v1," + POM + ",application/json";
    private static final String CONFIGMAPS = "/api/v1/namespaces/meta/configmaps";
    private static final String WIDGETS = "/apis/example.com/v1/namespaces/meta/widgets";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @BeforeAll
    static void objects() {
        created(server.send("POST", "/api/v1/namespaces", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"meta\"}}"));
        for (String name : List.of("a", "b", "c")) {
            created(server.send("POST", CONFIGMAPS, "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                    + "\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"l\":\"" + name + "\"},\"annotations\":"
                    + "{\"note\":\"é\\\"\"}},\"data\":{\"secret\":\"value\"}}"));
        }
        created(server.send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "application/json",
                "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\",\"metadata\":"
                        + "{\"name\":\"widgets.example.com\"},\"spec\":{\"group\":\"example.com\",\"scope\":"
                        + "\"Namespaced\",\"names\":{\"plural\":\"widgets\",\"singular\":\"widget\",\"kind\":"
                        + "\"Widget\"},\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,"
                        + "\"subresources\":{\"scale\":{\"specReplicasPath\":\".spec.replicas\","
                        + "\"statusReplicasPath\":\".status.replicas\"}},\"schema\":{\"openAPIV3Schema\":{\"type\":"
                        + "\"object\",\"x-kubernetes-preserve-unknown-fields\":true}}}]}}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.get(WIDGETS).statusCode() == 200);
        created(server.send("POST", WIDGETS, "application/json", "{\"apiVersion\":\"example.com/v1\",\"kind\":"
                + "\"Widget\",\"metadata\":{\"name\":\"w\",\"labels\":{\"l\":\"w\"}},\"spec\":{\"replicas\":2}}"));
    }

    private static JsonNode created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode refused(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(406);
        JsonNode status = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("reason").asString()).isEqualTo("NotAcceptable");
        return status;
    }

    /** {@code object} as a PartialObjectMetadata of {@code apiVersion}: its whole metadata, nothing else. */
    private static void assertPartialOf(JsonNode partial, JsonNode object, String apiVersion) {
        assertThat(partial.propertyNames()).containsExactlyInAnyOrder("kind", "apiVersion", "metadata");
        assertThat(partial.path("kind").asString()).isEqualTo("PartialObjectMetadata");
        assertThat(partial.path("apiVersion").asString()).isEqualTo(apiVersion);
        assertThat(partial.path("metadata")).isEqualTo(object.path("metadata"));
    }

    @Test
    void getAnswersTheMetadataOnly() {
        JsonNode configMap = ok(server.get(CONFIGMAPS + "/a"));
        assertPartialOf(ok(server.get(CONFIGMAPS + "/a", "Accept", POM)), configMap, "meta.k8s.io/v1");
        assertPartialOf(ok(server.get(CONFIGMAPS + "/a", "Accept", METADATA_CLIENT)), configMap, "meta.k8s.io/v1");
        assertPartialOf(ok(server.get(CONFIGMAPS + "/a", "Accept", POM.replace("v=v1", "v=v1beta1"))), configMap,
                "meta.k8s.io/v1beta1");
        // custom resources, and a subresource answering another kind (a Scale)
        JsonNode widget = ok(server.get(WIDGETS + "/w"));
        assertPartialOf(ok(server.get(WIDGETS + "/w", "Accept", POM)), widget, "meta.k8s.io/v1");
        JsonNode scale = ok(server.get(WIDGETS + "/w/scale"));
        assertThat(scale.path("kind").asString()).isEqualTo("Scale");
        assertPartialOf(ok(server.get(WIDGETS + "/w/scale", "Accept", POM)), scale, "meta.k8s.io/v1");
        assertThat(ok(server.get(WIDGETS + "/w/scale", "Accept", "application/json;as=Table;g=meta.k8s.io;v=v1"))
                .path("kind").asString()).isEqualTo("Table");
    }

    @Test
    void writesAnswerTheMetadataOnlyWhenAsked() {
        JsonNode partial = created(server.send("POST", CONFIGMAPS, "application/json", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"written\"},\"data\":{\"k\":\"v\"}}", "Accept", POM));
        assertPartialOf(partial, ok(server.get(CONFIGMAPS + "/written")), "meta.k8s.io/v1");
        JsonNode patched = ok(server.send("PATCH", CONFIGMAPS + "/written", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}", "Accept", POM));
        assertThat(patched.path("metadata").path("labels").path("x").asString()).isEqualTo("y");
        assertThat(patched.has("data")).isFalse();
        // a deletion answered with a Status is a Status whatever is asked: upstream converts no Status
        JsonNode deleted = ok(server.send("DELETE", CONFIGMAPS + "/written", null, null, "Accept", POM));
        assertThat(deleted.path("kind").asString()).isEqualTo("Status");
        assertThat(deleted.path("status").asString()).isEqualTo("Success");
    }

    @Test
    void listAnswersAPartialObjectMetadataList() {
        JsonNode list = ok(server.get(CONFIGMAPS));
        for (String accept : List.of(POM_LIST, METADATA_CLIENT_LIST)) {
            JsonNode partial = ok(server.get(CONFIGMAPS, "Accept", accept));
            assertThat(partial.path("kind").asString()).isEqualTo("PartialObjectMetadataList");
            assertThat(partial.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1");
            assertThat(partial.path("metadata").path("resourceVersion").asString()).isNotEmpty();
            assertThat(partial.path("items")).hasSize(list.path("items").size());
            for (int i = 0; i < list.path("items").size(); i++) {
                // each item as upstream's asPartialObjectMetadataList sets it: kind and apiVersion included
                assertPartialOf(partial.path("items").get(i), list.path("items").get(i), "meta.k8s.io/v1");
            }
        }
        // the store's path (a page): continue and remainingItemCount, in v1beta1
        JsonNode page = ok(server.get(CONFIGMAPS + "?limit=1", "Accept", POM_LIST.replace("v=v1", "v=v1beta1")));
        assertThat(page.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1beta1");
        assertThat(page.path("metadata").path("continue").asString()).isNotEmpty();
        assertThat(page.path("metadata").path("remainingItemCount").asLong()).isPositive();
        assertPartialOf(page.path("items").get(0), list.path("items").get(0), "meta.k8s.io/v1beta1");
        // selectors apply as to any list, and custom resources list the same way
        assertThat(ok(server.get(CONFIGMAPS + "?labelSelector=l%3Db", "Accept", POM_LIST)).path("items")
                .get(0).path("metadata").path("name").asString()).isEqualTo("b");
        JsonNode widgets = ok(server.get(WIDGETS, "Accept", METADATA_CLIENT_LIST));
        assertPartialOf(widgets.path("items").get(0), ok(server.get(WIDGETS)).path("items").get(0),
                "meta.k8s.io/v1");
    }

    @Test
    void yamlAsUpstreamEncodesIt() {
        HttpResponse<String> response = server.get(CONFIGMAPS + "/a", "Accept",
                "application/yaml;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/yaml");
        assertPartialOf(Json.YAML.readTree(response.body()), ok(server.get(CONFIGMAPS + "/a")), "meta.k8s.io/v1");
        HttpResponse<String> list = server.get(CONFIGMAPS, "Accept",
                "application/yaml;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(Json.YAML.readTree(list.body()).path("kind").asString()).isEqualTo("PartialObjectMetadataList");
        // a watch has no YAML framing, converted or not
        assertThat(server.get(CONFIGMAPS + "?watch=1", "Accept",
                "application/yaml;as=PartialObjectMetadata;g=meta.k8s.io;v=v1").statusCode()).isEqualTo(406);
    }

    @Test
    void aRepresentationTheAnswerCannotHaveIs406() {
        // upstream's asPartialObjectMetadata and asPartialObjectMetadataList, in their words
        assertThat(refused(server.get(CONFIGMAPS, "Accept", POM)).path("message").asString())
                .isEqualTo("you requested PartialObjectMetadata, but the requested object is a list "
                        + "(*core.ConfigMapList)");
        assertThat(refused(server.get(CONFIGMAPS + "/a", "Accept", POM_LIST)).path("message").asString())
                .isEqualTo("you requested PartialObjectMetadataList, but the requested object is not a list "
                        + "(*core.ConfigMap)");
        assertThat(refused(server.get(WIDGETS, "Accept", POM)).path("message").asString())
                .endsWith("(*unstructured.UnstructuredList)");
        refused(server.get(CONFIGMAPS + "?watch=1", "Accept", POM_LIST));
        // conversions upstream does not serve: another version, group or kind, a Table in protobuf
        for (String accept : List.of(POM.replace("v=v1", "v=v1alpha1"), POM.replace("g=meta.k8s.io", "g=k8s.io"),
                "application/json;as=PartialObject;g=meta.k8s.io;v=v1", "application/json;g=meta.k8s.io;v=v1",
                "application/vnd.kubernetes.protobuf;as=Table;g=meta.k8s.io;v=v1")) {
            assertThat(refused(server.get(CONFIGMAPS + "/a", "Accept", accept)).path("message").asString())
                    .as(accept).isEqualTo("only the following media types are accepted: application/json, "
                            + "application/yaml, application/vnd.kubernetes.protobuf");
        }
        // with a fallback clause, the fallback answers
        assertThat(ok(server.get(CONFIGMAPS + "/a", "Accept", POM.replace("v=v1", "v=v1alpha1")
                + ",application/json")).path("kind").asString()).isEqualTo("ConfigMap");
        // pods/log answers no object: a conversion alone is refused before the pod is looked up
        refused(server.get("/api/v1/namespaces/meta/pods/none/log", "Accept", POM));
        refused(server.get("/api/v1/namespaces/meta/pods/none/log", "Accept",
                "application/json;as=Table;g=meta.k8s.io;v=v1"));
        assertThat(server.get("/api/v1/namespaces/meta/pods/none/log", "Accept", POM + ",*/*").statusCode())
                .isEqualTo(404);
    }

    @Test
    void tablesAnswerInTheVersionAsked() {
        JsonNode v1beta1 = ok(server.get(CONFIGMAPS, "Accept", "application/json;as=Table;g=meta.k8s.io;v=v1beta1"));
        assertThat(v1beta1.path("kind").asString()).isEqualTo("Table");
        assertThat(v1beta1.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1beta1");
        assertThat(v1beta1.path("rows").get(0).path("object").path("apiVersion").asString())
                .isEqualTo("meta.k8s.io/v1beta1");
        JsonNode one = ok(server.get(WIDGETS + "/w", "Accept", "application/json;as=Table;g=meta.k8s.io;v=v1beta1"));
        assertThat(one.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1beta1");
        // kubectl's header: v1 first
        JsonNode v1 = ok(server.get(CONFIGMAPS, "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,"
                + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"));
        assertThat(v1.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1");
        assertThat(v1.path("rows").get(0).path("object").path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1");
        // a Table's options are checked as upstream's ValidateTableOptions does: 400, get and list alike
        for (String path : List.of(CONFIGMAPS, CONFIGMAPS + "/a")) {
            HttpResponse<String> bad = server.get(path + "?includeObject=unrecognized", "Accept",
                    "application/json;as=Table;g=meta.k8s.io;v=v1");
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
            assertThat(Json.parse(bad.body().getBytes(StandardCharsets.UTF_8)).path("message").asString())
                    .isEqualTo("Unable to convert to Table as requested: includeObject: Invalid value: "
                            + "\"unrecognized\": must be 'Metadata', 'Object', 'None', or empty");
        }
        assertThat(ok(server.get(CONFIGMAPS + "?includeObject=None", "Accept",
                "application/json;as=Table;g=meta.k8s.io;v=v1")).path("rows").get(0).has("object")).isFalse();
    }

    @Test
    void watchEventsAndBookmarksArePartialObjectMetadata() {
        String rv = ok(server.get(CONFIGMAPS + "/c")).path("metadata").path("resourceVersion").asString();
        ok(server.send("PATCH", CONFIGMAPS + "/c", "application/merge-patch+json",
                "{\"metadata\":{\"annotations\":{\"test\":\"1\"}}}"));
        JsonNode current = ok(server.get(CONFIGMAPS + "/c"));
        List<JsonNode> events = events(server.get(CONFIGMAPS + "?watch=1&timeoutSeconds=1&resourceVersion=" + rv
                + "&fieldSelector=metadata.name%3Dc", "Accept", METADATA_CLIENT));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("type").asString()).isEqualTo("MODIFIED");
        assertPartialOf(events.get(0).path("object"), current, "meta.k8s.io/v1");
        // the initial state, then the bookmark ending it: a PartialObjectMetadata as well
        List<JsonNode> initial = events(server.get(WIDGETS + "?watch=1&timeoutSeconds=1&sendInitialEvents=true"
                + "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true", "Accept",
                POM.replace("v=v1", "v=v1beta1")));
        assertThat(initial.get(0).path("type").asString()).isEqualTo("ADDED");
        assertPartialOf(initial.get(0).path("object"), ok(server.get(WIDGETS + "/w")), "meta.k8s.io/v1beta1");
        JsonNode bookmark = initial.stream().filter(e -> e.path("type").asString().equals("BOOKMARK")).findFirst()
                .orElseThrow();
        assertThat(bookmark.path("object").path("kind").asString()).isEqualTo("PartialObjectMetadata");
        assertThat(bookmark.path("object").path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1beta1");
        assertThat(bookmark.path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end")
                .asString()).isEqualTo("true");
    }

    private static List<JsonNode> events(HttpResponse<String> watch) {
        assertThat(watch.statusCode()).as(watch.body()).isEqualTo(200);
        return watch.body().lines().filter(l -> !l.isBlank())
                .map(l -> Json.parse(l.getBytes(StandardCharsets.UTF_8))).toList();
    }
}

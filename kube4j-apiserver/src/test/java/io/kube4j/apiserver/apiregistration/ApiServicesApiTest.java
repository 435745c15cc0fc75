package io.kube4j.apiserver.apiregistration;

import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** apiregistration.k8s.io/v1 APIServices over HTTP on a started server. */
class ApiServicesApiTest {

    private static final String APISERVICES = "/apis/apiregistration.k8s.io/v1/apiservices";
    private static final String JSON = "application/json";
    private static final String LABEL = "kube-aggregator.kubernetes.io/automanaged";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode get(String path) {
        HttpResponse<String> response = server.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        get(APISERVICES).path("items").forEach(i -> names.add(i.at("/metadata/name").asString()));
        return names;
    }

    private static HttpResponse<String> create(String body) {
        return server.send("POST", APISERVICES, JSON, body.replace('\'', '"'));
    }

    private static JsonNode available(String name) {
        for (JsonNode condition : get(APISERVICES + "/" + name).at("/status/conditions")) {
            if (condition.path("type").asString("").equals("Available")) {
                return condition;
            }
        }
        return null;
    }

    @Test
    void everyBuiltInGroupVersionHasALocalAvailableApiService() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(names())
                .contains("v1.", "v1.apps", "v1.autoscaling", "v2.autoscaling", "v1.batch", "v1.apiextensions.k8s.io",
                        "v1.apiregistration.k8s.io", "v1.rbac.authorization.k8s.io", "v1beta1.metrics.k8s.io"));
        JsonNode apps = get(APISERVICES + "/v1.apps");
        assertThat(apps.at("/metadata/labels/" + LABEL.replace("/", "~1")).asString()).isEqualTo("onstart");
        assertThat(apps.at("/spec/groupPriorityMinimum").asInt()).isEqualTo(17800);
        assertThat(apps.at("/spec/versionPriority").asInt()).isEqualTo(15);
        assertThat(apps.at("/spec/service").isMissingNode()).isTrue();
        // the core group's name ends in a dot and has no spec.group
        JsonNode core = get(APISERVICES + "/v1.");
        assertThat(core.at("/spec/group").isMissingNode()).isTrue();
        assertThat(core.at("/spec/groupPriorityMinimum").asInt()).isEqualTo(18000);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode condition = available("v1.apps");
            assertThat(condition).isNotNull();
            assertThat(condition.path("status").asString()).isEqualTo("True");
            assertThat(condition.path("reason").asString()).isEqualTo("Local");
            assertThat(condition.path("message").asString()).isEqualTo("Local APIServices are always available");
        });
    }

    @Test
    void discoveryListsTheResource() {
        JsonNode resource = get("/apis/apiregistration.k8s.io/v1").at("/resources/0");
        assertThat(resource.path("name").asString()).isEqualTo("apiservices");
        assertThat(resource.path("namespaced").asBoolean()).isFalse();
        assertThat(resource.path("kind").asString()).isEqualTo("APIService");
        assertThat(resource.path("categories").toString()).isEqualTo("[\"api-extensions\"]");
        assertThat(resource.has("shortNames")).isFalse();
        assertThat(get("/apis/apiregistration.k8s.io/v1").toString()).contains("\"name\":\"apiservices/status\"");
        HttpResponse<String> aggregated = server.get("/apis", "Accept",
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        assertThat(aggregated.body()).contains("\"name\":\"apiregistration.k8s.io\"")
                .contains("\"resource\":\"apiservices\"");
        assertThat(server.get("/openapi/v3/apis/apiregistration.k8s.io/v1").body())
                .contains("io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService")
                .contains("groupPriorityMinimum");
    }

    @Test
    void aCrdGroupVersionComesAndGoesWithItsCrd() {
        String crd = """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"gadgets.aggr.example.com"},
                 "spec":{"group":"aggr.example.com","scope":"Namespaced",
                  "names":{"plural":"gadgets","singular":"gadget","kind":"Gadget"},
                  "versions":[{"name":"v1","served":true,"storage":true,
                   "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}},
                   {"name":"v2alpha1","served":false,"storage":false,
                   "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
                """;
        HttpResponse<String> created = server.send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                JSON, crd);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(names()).contains("v1.aggr.example.com"));
        assertThat(names()).doesNotContain("v2alpha1.aggr.example.com");
        JsonNode apiService = get(APISERVICES + "/v1.aggr.example.com");
        assertThat(apiService.at("/metadata/labels/" + LABEL.replace("/", "~1")).asString()).isEqualTo("true");
        assertThat(apiService.at("/spec/groupPriorityMinimum").asInt()).isEqualTo(1000);
        assertThat(apiService.at("/spec/versionPriority").asInt()).isEqualTo(100);

        // the user's edit of an always-managed APIService is put back
        HttpResponse<String> edited = server.send("PATCH", APISERVICES + "/v1.aggr.example.com",
                "application/merge-patch+json", "{\"spec\":{\"groupPriorityMinimum\":5}}");
        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                get(APISERVICES + "/v1.aggr.example.com").at("/spec/groupPriorityMinimum").asInt()).isEqualTo(1000));

        HttpResponse<String> deleted = server.send("DELETE",
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.aggr.example.com", JSON, "");
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(names()).doesNotContain("v1.aggr.example.com"));
    }

    @Test
    void invalidApiServicesAre422WithTheirCauses() {
        HttpResponse<String> refused = create("{'apiVersion':'apiregistration.k8s.io/v1','kind':'APIService',"
                + "'metadata':{'name':'v1.wrong.example.com'},'spec':{'group':'bad.example.com','version':'v1',"
                + "'groupPriorityMinimum':30000,'versionPriority':10,'insecureSkipTLSVerify':true}}");
        assertThat(refused.statusCode()).isEqualTo(422);
        JsonNode status = json(refused);
        assertThat(status.path("reason").asString()).isEqualTo("Invalid");
        List<String> fields = new ArrayList<>();
        status.at("/details/causes").forEach(c -> fields.add(c.path("field").asString()));
        assertThat(fields).containsExactly("metadata.name", "spec.groupPriorityMinimum", "spec.insecureSkipTLSVerify");
        assertThat(status.path("message").asString()).startsWith("APIService.apiregistration.k8s.io "
                + "\"v1.wrong.example.com\" is invalid: [metadata.name: Invalid value: \"v1.wrong.example.com\": must "
                + "be `spec.version+\".\"+spec.group`: \"v1.bad.example.com\"");
    }

    @Test
    void theTableHasUpstreamsColumns() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(available("v1.batch")).isNotNull());
        JsonNode table = json(server.get(APISERVICES, "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io"));
        List<String> columns = new ArrayList<>();
        table.path("columnDefinitions").forEach(c -> columns.add(c.path("name").asString()));
        assertThat(columns).containsExactly("Name", "Service", "Available", "Age");
        JsonNode batch = null;
        for (JsonNode row : table.path("rows")) {
            if (row.at("/cells/0").asString().equals("v1.batch")) {
                batch = row;
            }
        }
        assertThat(batch).isNotNull();
        assertThat(batch.at("/cells/1").asString()).isEqualTo("Local");
        assertThat(batch.at("/cells/2").asString()).isEqualTo("True");
    }

    @Test
    void aServiceApiServiceIsStoredUnavailableAndItsPathsAre503() {
        HttpResponse<String> created = create("{'apiVersion':'apiregistration.k8s.io/v1','kind':'APIService',"
                + "'metadata':{'name':'v1beta1.custom.metrics.k8s.io'},'spec':{'group':'custom.metrics.k8s.io',"
                + "'version':'v1beta1','groupPriorityMinimum':100,'versionPriority':100,'insecureSkipTLSVerify':true,"
                + "'service':{'namespace':'monitoring','name':'prometheus-adapter'}}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).at("/spec/service/port").asInt()).isEqualTo(443);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode condition = available("v1beta1.custom.metrics.k8s.io");
            assertThat(condition).isNotNull();
            assertThat(condition.path("status").asString()).isEqualTo("False");
            assertThat(condition.path("reason").asString()).isEqualTo("AggregationNotSupported");
        });
        for (String path : List.of("/apis/custom.metrics.k8s.io/v1beta1",
                "/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/*/http_requests")) {
            HttpResponse<String> unavailable = server.get(path);
            assertThat(unavailable.statusCode()).as(path).isEqualTo(503);
            assertThat(json(unavailable).path("reason").asString()).isEqualTo("ServiceUnavailable");
            // what client-go says of upstream's plain-text 503, so that kubectl prints the same
            assertThat(json(unavailable).path("message").asString())
                    .isEqualTo("the server is currently unable to handle the request");
            assertThat(json(unavailable).at("/details/causes/0/reason").asString()).isEqualTo("UnexpectedServerResponse");
            assertThat(json(unavailable).at("/details/causes/0/message").asString())
                    .contains("kube4j does not proxy to aggregated API servers").contains("monitoring/prometheus-adapter");
        }
        // a group/version no APIService names stays a 404
        assertThat(server.get("/apis/nothing.example.com/v1/things").statusCode()).isEqualTo(404);
    }

    @Test
    void aGroupOnlyServiceApiServicesHaveIsListedInDiscoveryWithoutResources() {
        for (String version : List.of("v1alpha1", "v1beta1", "v1")) {
            // v1 asks for the lowest versionPriority and still is not preferred: priority first, then the version
            int versionPriority = version.equals("v1") ? 10 : 20;
            HttpResponse<String> created = create(("{'apiVersion':'apiregistration.k8s.io/v1','kind':'APIService',"
                    + "'metadata':{'name':'VERSION.wardle.example.com'},'spec':{'group':'wardle.example.com',"
                    + "'version':'VERSION','groupPriorityMinimum':100,'versionPriority':" + versionPriority
                    + ",'insecureSkipTLSVerify':true,'service':{'namespace':'wardle','name':'api'}}}")
                    .replace("VERSION", version));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode wardle = null;
            JsonNode groups = get("/apis").path("groups");
            for (JsonNode group : groups) {
                if (group.path("name").asString().equals("wardle.example.com")) {
                    wardle = group;
                }
            }
            assertThat(wardle).as(groups.toString()).isNotNull();
            assertThat(wardle.path("versions").findValuesAsString("version")).containsExactly("v1beta1", "v1alpha1", "v1");
            assertThat(wardle.at("/preferredVersion/groupVersion").asString()).isEqualTo("wardle.example.com/v1beta1");
            // after the groups this server serves
            assertThat(groups.findValuesAsString("name").indexOf("wardle.example.com"))
                    .isGreaterThan(groups.findValuesAsString("name").indexOf("apps"));
        });
        assertThat(get("/apis/wardle.example.com").at("/preferredVersion/version").asString()).isEqualTo("v1beta1");
        assertThat(server.get("/apis/wardle.example.com/v1beta1").statusCode()).isEqualTo(503);

        HttpResponse<String> aggregated = server.get("/apis", "Accept",
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        assertThat(aggregated.statusCode()).isEqualTo(200);
        JsonNode wardle = null;
        for (JsonNode item : json(aggregated).path("items")) {
            if (item.at("/metadata/name").asString().equals("wardle.example.com")) {
                wardle = item;
            }
        }
        assertThat(wardle).as(aggregated.body()).isNotNull();
        assertThat(wardle.path("versions").findValuesAsString("version")).containsExactly("v1beta1", "v1alpha1", "v1");
        for (JsonNode version : wardle.path("versions")) {
            // as upstream's aggregator lists a version whose service it cannot reach
            assertThat(version.path("freshness").asString()).isEqualTo("Stale");
            assertThat(version.has("resources")).isFalse();
        }
    }

    @Test
    void metricsServersApiServiceKeepsTheInProcessMetricsServing() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(names()).contains("v1beta1.metrics.k8s.io"));
        // what applying metrics-server's manifest does to the Local APIService kube4j registered
        HttpResponse<String> patched = server.send("PATCH", APISERVICES + "/v1beta1.metrics.k8s.io",
                "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"k8s-app\":\"metrics-server\"}},"
                        + "\"spec\":{\"insecureSkipTLSVerify\":true,\"service\":{\"namespace\":\"kube-system\","
                        + "\"name\":\"metrics-server\"}}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode condition = available("v1beta1.metrics.k8s.io");
            assertThat(condition.path("status").asString()).isEqualTo("True");
            assertThat(condition.path("reason").asString()).isEqualTo("ServedInProcess");
        });
        assertThat(server.get("/apis/metrics.k8s.io/v1beta1").statusCode()).isEqualTo(200);
        // the built-in's edit stays until the next start, as upstream's onstart APIServices
        assertThat(get(APISERVICES + "/v1beta1.metrics.k8s.io").at("/spec/service/name").asString())
                .isEqualTo("metrics-server");
    }
}

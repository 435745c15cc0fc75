package io.kube4j.apiserver.flowcontrol;

import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/** The flowcontrol API on a started server: bootstrap objects, their upkeep, headers, tables, real kubectl. */
class FlowControlApiTest {

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static final String BASE = "/apis/flowcontrol.apiserver.k8s.io/v1/";
    private static final String JSON = "application/json";

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> names(String resource) {
        List<String> names = new ArrayList<>();
        json(server.get(BASE + resource)).path("items").forEach(i -> names.add(i.path("metadata").path("name")
                .asString()));
        return names;
    }

    @Test
    void theBootstrapConfigurationIsServed() {
        assertThat(names("flowschemas")).contains("exempt", "catch-all", "probes", "system-nodes",
                "system-node-high", "system-leader-election", "endpoint-controller", "workload-leader-election",
                "kube-controller-manager", "kube-scheduler", "kube-system-service-accounts", "service-accounts",
                "global-default");
        assertThat(names("prioritylevelconfigurations")).contains("exempt", "catch-all", "system", "node-high",
                "leader-election", "workload-high", "workload-low", "global-default");
        JsonNode exempt = json(server.get(BASE + "flowschemas/exempt"));
        assertThat(exempt.path("metadata").path("annotations").path("apf.kubernetes.io/autoupdate-spec").asString())
                .isEqualTo("true");
        assertThat(exempt.path("status").path("conditions").get(0).path("type").asString()).isEqualTo("Dangling");
        assertThat(exempt.path("status").path("conditions").get(0).path("status").asString()).isEqualTo("False");
        String discovery = server.get("/apis/flowcontrol.apiserver.k8s.io/v1").body();
        assertThat(discovery).contains("\"flowschemas\"", "\"flowschemas/status\"", "\"prioritylevelconfigurations\"");
    }

    @Test
    void aDeletedMandatoryObjectComesBackAndAnEditedOneIsPutBack() {
        assertThat(server.send("DELETE", BASE + "flowschemas/catch-all", null, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofMinutes(1)).until(() -> server.get(BASE + "flowschemas/catch-all").statusCode()
                == 200);
        assertThat(server.send("PATCH", BASE + "prioritylevelconfigurations/catch-all",
                "application/merge-patch+json", "{\"spec\":{\"limited\":{\"nominalConcurrencyShares\":50}}}")
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofMinutes(1)).until(() -> json(server.get(BASE + "prioritylevelconfigurations/"
                + "catch-all")).path("spec").path("limited").path("nominalConcurrencyShares").asInt() == 5);
    }

    @Test
    void aSuggestedObjectEditedWithAutoUpdateOffIsLeftAlone() {
        assertThat(server.send("PATCH", BASE + "flowschemas/service-accounts", "application/merge-patch+json",
                "{\"metadata\":{\"annotations\":{\"apf.kubernetes.io/autoupdate-spec\":\"false\"}},"
                        + "\"spec\":{\"matchingPrecedence\":8000}}").statusCode()).isEqualTo(200);
        String untouched = json(server.get(BASE + "prioritylevelconfigurations/workload-low")).path("metadata")
                .path("resourceVersion").asString();
        // a later change of another object makes the producer look at everything again
        assertThat(server.send("DELETE", BASE + "flowschemas/probes", null, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofMinutes(1)).until(() -> server.get(BASE + "flowschemas/probes").statusCode()
                == 200);
        assertThat(json(server.get(BASE + "flowschemas/service-accounts")).path("spec").path("matchingPrecedence")
                .asInt()).isEqualTo(8000);
        // and writes nothing that already is as it should be
        assertThat(json(server.get(BASE + "prioritylevelconfigurations/workload-low")).path("metadata")
                .path("resourceVersion").asString()).isEqualTo(untouched);
    }

    @Test
    void aSchemaNamingNoLevelIsMarkedDangling() {
        String schema = "{\"apiVersion\":\"flowcontrol.apiserver.k8s.io/v1\",\"kind\":\"FlowSchema\","
                + "\"metadata\":{\"name\":\"lost\"},\"spec\":{\"priorityLevelConfiguration\":{\"name\":\"nowhere\"},"
                + "\"rules\":[{\"subjects\":[{\"kind\":\"Group\",\"group\":{\"name\":\"lost\"}}],"
                + "\"nonResourceRules\":[{\"verbs\":[\"*\"],\"nonResourceURLs\":[\"*\"]}]}]}}";
        assertThat(server.send("POST", BASE + "flowschemas", JSON, schema).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofMinutes(1)).until(() -> json(server.get(BASE + "flowschemas/lost"))
                .path("status").path("conditions").toString().contains("\"status\":\"True\""));
        JsonNode lost = json(server.get(BASE + "flowschemas/lost"));
        assertThat(lost.path("spec").path("matchingPrecedence").asInt()).isEqualTo(1000);
        assertThat(lost.path("status").path("conditions").get(0).path("message").asString())
                .isEqualTo("This FlowSchema references the PriorityLevelConfiguration object named \"nowhere\" but "
                        + "there is no such object");
        HttpResponse<String> invalid = server.send("POST", BASE + "prioritylevelconfigurations", JSON,
                "{\"metadata\":{\"name\":\"bad\"},\"spec\":{\"type\":\"Limited\",\"limited\":{\"limitResponse\":"
                        + "{\"type\":\"Queue\",\"queuing\":{\"queues\":2,\"handSize\":3}}}}}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.body()).contains("should not be greater than queues (2)");
    }

    @Test
    void responsesNameTheirFlowSchemaAndPriorityLevel() {
        String exemptSchema = json(server.get(BASE + "flowschemas/exempt")).path("metadata").path("uid").asString();
        String exemptLevel = json(server.get(BASE + "prioritylevelconfigurations/exempt")).path("metadata")
                .path("uid").asString();
        HttpResponse<String> response = server.get("/api/v1/namespaces");
        // the insecure port's user is in system:masters: the exempt schema
        assertThat(response.headers().firstValue("X-Kubernetes-PF-FlowSchema-UID")).hasValue(exemptSchema);
        assertThat(response.headers().firstValue("X-Kubernetes-PF-PriorityLevel-UID")).hasValue(exemptLevel);
        String metrics = server.get("/metrics").body();
        assertThat(metrics).contains("apiserver_flowcontrol_dispatched_requests_total{flow_schema=\"exempt\","
                + "priority_level=\"exempt\"}", "apiserver_flowcontrol_nominal_limit_seats{priority_level="
                + "\"catch-all\"}");
        assertThat(server.get("/debug/api_priority_and_fairness/dump_priority_levels").body())
                .startsWith("PriorityLevelName, ActiveQueues, IsIdle").contains("\nglobal-default, 0, ");
    }

    @Test
    void kubectlPrintsUpstreamColumns() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl not installed");
        String schemas = kubectl("get", "flowschemas");
        assertThat(schemas.lines().findFirst().orElseThrow().split("\\s+")).containsExactly("NAME", "PRIORITYLEVEL",
                "MATCHINGPRECEDENCE", "DISTINGUISHERMETHOD", "AGE", "MISSINGPL");
        assertThat(schemas).containsPattern("(?m)^exempt\\s+exempt\\s+1\\s+<none>\\s+\\S+\\s+False$");
        String levels = kubectl("get", "prioritylevelconfigurations");
        assertThat(levels.lines().findFirst().orElseThrow().split("\\s+")).containsExactly("NAME", "TYPE",
                "NOMINALCONCURRENCYSHARES", "QUEUES", "HANDSIZE", "QUEUELENGTHLIMIT", "AGE");
        assertThat(levels).containsPattern("(?m)^workload-low\\s+Limited\\s+100\\s+128\\s+6\\s+50\\s+\\S+$");
        // the OpenAPI documents describe both kinds (fabric8's flowcontrol model), which explain reads
        assertThat(kubectl("explain", "flowschemas.spec.matchingPrecedence")).contains("KIND:       FlowSchema",
                "FIELD: matchingPrecedence <integer>");
    }

    private static String kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig",
                server.kubeconfig().toString(), "--cache-dir", server.dir().resolve("cache").toString()));
        command.addAll(List.of(args));
        Path out = server.dir().resolve("kubectl-out.txt");
        Path err = server.dir().resolve("kubectl-err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("kubectl did not finish: " + command);
        }
        assertThat(p.exitValue()).as(command + ": " + Files.readString(err)).isZero();
        return Files.readString(out);
    }
}

package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Job validation over HTTP: podFailurePolicy rules on create, and writes through jobs/status, refused with a 422. */
class JobValidationApiTest {
    private static final String JOBS = "/apis/batch/v1/namespaces/default/jobs";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static String job(String name, String spec) {
        return ("{'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'" + name + "'},'spec':{" + spec
                + "'template':{'spec':{'restartPolicy':'Never','containers':[{'name':'c','image':'busybox'}]}}}}")
                .replace('\'', '"');
    }

    /** The causes of a 422 Invalid Status, as "field: reason". */
    private static List<String> invalidCauses(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode status = json(response);
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("reason").asString()).isEqualTo("Invalid");
        List<String> causes = new ArrayList<>();
        status.path("details").path("causes").forEach(c ->
                causes.add(c.path("field").asString() + ": " + c.path("reason").asString()));
        return causes;
    }

    @Test
    void podFailurePolicyRulesAreRefusedWithFieldCauses() {
        HttpResponse<String> response = server.send("POST", JOBS, "application/json", job("bad-policy",
                "'podFailurePolicy':{'rules':[{'action':'FailJob','onExitCodes':{'containerName':'other','operator':'In','values':[0,1]}},"
                        + "{'action':'Ignore'}]},"));
        assertThat(invalidCauses(response)).containsExactly(
                "spec.podFailurePolicy.rules[0].onExitCodes.containerName: FieldValueInvalid",
                "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: FieldValueInvalid",
                "spec.podFailurePolicy.rules[1]: FieldValueInvalid");
        assertThat(json(response).path("message").asString()).contains(
                "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
                "spec.podFailurePolicy.rules[1]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required");
        assertThat(server.get(JOBS + "/bad-policy").statusCode()).isEqualTo(404);
    }

    @Test
    void managedByIsADomainPrefixedPathOfAtMost63BytesAndImmutable() {
        HttpResponse<String> noPrefix = server.send("POST", JOBS, "application/json", job("mb1",
                "'managedBy':'controller',"));
        assertThat(invalidCauses(noPrefix)).containsExactly("spec.managedBy: FieldValueInvalid");
        assertThat(json(noPrefix).path("message").asString()).isEqualTo("Job.batch \"mb1\" is invalid: "
                + "spec.managedBy: Invalid value: \"controller\": must be a domain-prefixed path (such as \"acme.io/foo\")");

        HttpResponse<String> badParts = server.send("POST", JOBS, "application/json", job("mb2",
                "'managedBy':'Example.com/a b',"));
        assertThat(invalidCauses(badParts)).containsExactly("spec.managedBy: FieldValueInvalid",
                "spec.managedBy: FieldValueInvalid");
        assertThat(json(badParts).path("message").asString()).contains(
                "spec.managedBy: Invalid value: \"Example.com\": a lowercase RFC 1123 subdomain must consist of",
                "spec.managedBy: Invalid value: \"a b\": Invalid path (regex used for validation is "
                        + "'[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')");

        HttpResponse<String> tooLong = server.send("POST", JOBS, "application/json", job("mb3",
                "'managedBy':'example.com/" + "x".repeat(52) + "',"));
        assertThat(invalidCauses(tooLong)).containsExactly("spec.managedBy: FieldValueTooLong");
        assertThat(json(tooLong).path("message").asString()).isEqualTo("Job.batch \"mb3\" is invalid: "
                + "spec.managedBy: Too long: may not be more than 63 bytes");
        assertThat(server.get(JOBS + "/mb3").statusCode()).isEqualTo(404);

        // 63 bytes exactly is accepted, as is upstream's own value; neither may change afterwards
        HttpResponse<String> created = server.send("POST", JOBS, "application/json", job("mb4",
                "'managedBy':'example.com/" + "x".repeat(51) + "',"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> changed = server.send("PATCH", JOBS + "/mb4", "application/merge-patch+json",
                "{\"spec\":{\"managedBy\":\"kubernetes.io/job-controller\"}}");
        assertThat(invalidCauses(changed)).containsExactly("spec.managedBy: FieldValueInvalid");
        assertThat(json(changed).path("message").asString()).isEqualTo("Job.batch \"mb4\" is invalid: "
                + "spec.managedBy: Invalid value: \"kubernetes.io/job-controller\": field is immutable");
        HttpResponse<String> removed = server.send("PATCH", JOBS + "/mb4", "application/merge-patch+json",
                "{\"spec\":{\"managedBy\":null}}");
        assertThat(invalidCauses(removed)).containsExactly("spec.managedBy: FieldValueInvalid");
        assertThat(server.send("POST", JOBS, "application/json", job("mb5",
                "'managedBy':'kubernetes.io/job-controller',")).statusCode()).isEqualTo(201);
    }

    @Test
    void statusWritesAreCheckedOnTheirIndexesAndTransitions() {
        HttpResponse<String> created = server.send("POST", JOBS, "application/json", job("indexed",
                "'completionMode':'Indexed','completions':4,'parallelism':2,'backoffLimitPerIndex':1,"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        ObjectNode stored = (ObjectNode) json(created);
        ObjectNode status = stored.putObject("status");
        status.put("completedIndexes", "0-2").put("failedIndexes", "2,5");
        HttpResponse<String> refused = server.send("PUT", JOBS + "/indexed/status", "application/json", stored.toString());
        assertThat(invalidCauses(refused)).containsExactly(
                "status.failedIndexes: FieldValueInvalid", "status.failedIndexes: FieldValueInvalid");
        assertThat(json(refused).path("message").asString()).contains(
                "status.failedIndexes: Invalid value: \"2,5\": error parsing failedIndexes: too large index: \"5\"",
                "status.failedIndexes: Invalid value: \"2,5\": failedIndexes and completedIndexes overlap at index: 2");

        status.put("completedIndexes", "0-1").put("failedIndexes", "2");
        HttpResponse<String> accepted = server.send("PUT", JOBS + "/indexed/status", "application/json", stored.toString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(json(accepted).path("status").path("failedIndexes").asString()).isEqualTo("2");

        // a main-resource write keeps the status as stored, so it is not held to the status rules
        HttpResponse<String> relabelled = server.send("PATCH", JOBS + "/indexed", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
        assertThat(relabelled.statusCode()).as(relabelled.body()).isEqualTo(200);
        HttpResponse<String> cleared = server.send("PATCH", JOBS + "/indexed/status", "application/merge-patch+json",
                "{\"status\":{\"failedIndexes\":null}}");
        assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
        HttpResponse<String> overlapping = server.send("PATCH", JOBS + "/indexed/status", "application/merge-patch+json",
                "{\"status\":{\"failedIndexes\":\"1\"}}");
        assertThat(invalidCauses(overlapping)).containsExactly("status.failedIndexes: FieldValueInvalid");
    }
}

package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The review APIs decode their bodies as upstream's generic create handler does: {@code fieldValidation} Strict
 * refuses unknown and duplicate fields with a 400, Warn (also when the parameter is absent) answers with a
 * {@code Warning} header, Ignore drops them silently; a value its field cannot hold is refused whatever the directive.
 */
class ReviewFieldValidationTest {

    private static final String SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private static final String REVIEW = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
            + "\"spec\":{%s\"resourceAttributes\":{\"verb\":\"list\",\"resource\":\"pods\",\"namespace\":\"default\"}}}";
    private static final String CANNOT_BE_HANDLED = "SelfSubjectAccessReview in version \"v1\" cannot be handled as "
            + "a SelfSubjectAccessReview: ";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    static Kubectl kubectl;

    @BeforeAll
    static void start() {
        kubectl = new Kubectl(server.kubeconfig(), server.dir());
    }

    private static HttpResponse<String> post(String path, String body) {
        return server.send("POST", path, "application/json", body);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static void assertBadRequest(HttpResponse<String> response, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode status = json(response);
        assertThat(status.path("reason").asString()).isEqualTo("BadRequest");
        assertThat(status.path("message").asString()).isEqualTo(message);
    }

    @Test
    void strictRefusesAnUnknownField() {
        assertBadRequest(post(SSAR + "?fieldValidation=Strict", REVIEW.formatted("\"foo\":1,")),
                CANNOT_BE_HANDLED + "strict decoding error: unknown field \"spec.foo\"");

        String tokenReview = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                + "\"spec\":{\"token\":\"x\",\"tokn\":\"y\"}}";
        assertBadRequest(post("/apis/authentication.k8s.io/v1/tokenreviews?fieldValidation=Strict", tokenReview),
                "TokenReview in version \"v1\" cannot be handled as a TokenReview: strict decoding error: "
                        + "unknown field \"spec.tokn\"");
        assertBadRequest(post("/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews"
                        + "?fieldValidation=Strict", "{\"apiVersion\":\"authorization.k8s.io/v1\","
                        + "\"kind\":\"LocalSubjectAccessReview\",\"metadata\":{\"namespace\":\"default\",\"bogus\":1},"
                        + "\"spec\":{\"user\":\"jane\",\"resourceAttributes\":{\"verb\":\"get\",\"resource\":\"pods\","
                        + "\"namespace\":\"default\"}}}"),
                "LocalSubjectAccessReview in version \"v1\" cannot be handled as a LocalSubjectAccessReview: "
                        + "strict decoding error: unknown field \"metadata.bogus\"");
    }

    @Test
    void strictRefusesADuplicateField() {
        assertBadRequest(post(SSAR + "?fieldValidation=Strict",
                        REVIEW.formatted("\"resourceAttributes\":{\"verb\":\"get\"},")),
                CANNOT_BE_HANDLED + "strict decoding error: duplicate field \"resourceAttributes\"");
    }

    @Test
    void warnIsTheDefaultAndDropsTheUnknownField() {
        for (String query : new String[] {"", "?fieldValidation=Warn"}) {
            HttpResponse<String> answered = post(SSAR + query, REVIEW.formatted("\"foo\":1,"));

            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(201);
            assertThat(answered.headers().allValues("Warning")).containsExactly("299 - \"unknown field \\\"spec.foo\\\"\"");
            assertThat(json(answered).path("spec").has("foo")).isFalse();
            assertThat(json(answered).path("status").path("allowed").asBoolean()).isTrue();
        }
        HttpResponse<String> duplicate = post(SSAR, REVIEW.formatted("\"resourceAttributes\":{\"verb\":\"get\"},"));
        assertThat(duplicate.statusCode()).as(duplicate.body()).isEqualTo(201);
        assertThat(duplicate.headers().allValues("Warning"))
                .containsExactly("299 - \"duplicate field \\\"resourceAttributes\\\"\"");
    }

    @Test
    void ignoreDropsTheUnknownFieldSilently() {
        HttpResponse<String> answered = post(SSAR + "?fieldValidation=Ignore", REVIEW.formatted("\"foo\":1,"));

        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(201);
        assertThat(answered.headers().allValues("Warning")).isEmpty();
        assertThat(json(answered).path("spec").has("foo")).isFalse();
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedWhateverTheDirective() {
        String wrongType = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
                + "\"spec\":{\"resourceAttributes\":{\"verb\":1,\"resource\":\"pods\"}}}";
        HttpResponse<String> refused = post(SSAR + "?fieldValidation=Ignore", wrongType);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(json(refused).path("message").asString()).startsWith(CANNOT_BE_HANDLED);
        assertBadRequest(post(SSAR + "?fieldValidation=Sometimes", REVIEW.formatted("")),
                "fieldValidation must be one of \"Ignore\", \"Warn\", or \"Strict\"");
    }

    /**
     * kubectl validates a review's fields itself by default: its check for server-side validation reads a kind's
     * PATCH operation, which reviews have none of, as against upstream. Asked to warn, it leaves that to the server.
     */
    @Test
    void kubectlPrintsTheServersWarningForAReview() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl not installed");
        Path file = server.dir().resolve("ssar.yaml");
        Files.writeString(file, """
                apiVersion: authorization.k8s.io/v1
                kind: SelfSubjectAccessReview
                spec:
                  foo: 1
                  resourceAttributes:
                    verb: list
                    resource: pods
                """);
        Kubectl.Result result = kubectl.run("create", "--validate=warn", "-f", file.toString(), "-o",
                "jsonpath={.status.allowed}");

        assertThat(result.exit()).as(result.all()).isZero();
        assertThat(result.out()).isEqualTo("true");
        assertThat(result.err()).contains("Warning: unknown field \"spec.foo\"");
    }
}

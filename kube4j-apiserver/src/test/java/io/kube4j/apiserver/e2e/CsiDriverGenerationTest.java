package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CSIDriver's metadata.generation as upstream 1.32's strategy keeps it: PrepareForCreate sets none, and
 * PrepareForUpdate bumps it on any change of the spec (not of metadata), so a new driver has no generation and its
 * first spec change makes it 1 - through the API and through kubectl.
 */
class CsiDriverGenerationTest {

    private static final String DRIVERS = "/apis/storage.k8s.io/v1/csidrivers";
    private static final String MERGE = "application/merge-patch+json";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static JsonNode json(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return Json.MAPPER.readTree(response.body());
    }

    private static JsonNode patch(String name, String patch) {
        return json(server.send("PATCH", DRIVERS + "/" + name, MERGE, patch), 200);
    }

    private static JsonNode generation(JsonNode driver) {
        return driver.path("metadata").path("generation");
    }

    @Test
    void aSpecChangeBumpsTheGenerationThatCreateDoesNotSet() {
        JsonNode created = json(server.send("POST", DRIVERS, "application/json", "{\"apiVersion\":\"storage.k8s.io/v1\","
                + "\"kind\":\"CSIDriver\",\"metadata\":{\"name\":\"a.example.com\"},"
                + "\"spec\":{\"attachRequired\":false}}"), 201);
        assertThat(generation(created).isMissingNode()).as(created.toString()).isTrue();

        assertThat(generation(patch("a.example.com", "{\"spec\":{\"podInfoOnMount\":true}}")).asLong()).isEqualTo(1);
        // metadata is no spec: labels and annotations leave the generation alone
        assertThat(generation(patch("a.example.com", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}")).asLong())
                .isEqualTo(1);
        // the same spec again is no change
        assertThat(generation(patch("a.example.com", "{\"spec\":{\"podInfoOnMount\":true}}")).asLong()).isEqualTo(1);
        assertThat(generation(patch("a.example.com", "{\"spec\":{\"requiresRepublish\":true}}")).asLong())
                .isEqualTo(2);
        // an immutable field refused leaves it as it was
        json(server.send("PATCH", DRIVERS + "/a.example.com", MERGE, "{\"spec\":{\"attachRequired\":true}}"), 422);
        assertThat(generation(json(server.get(DRIVERS + "/a.example.com"), 200)).asLong()).isEqualTo(2);
    }

    @Test
    void kubectlSeesTheGenerationMove() {
        Kubectl kubectl = new Kubectl(server.kubeconfig(), server.dir());
        kubectl.runWithInput("apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata:\n  name: k.example.com\n"
                + "spec:\n  attachRequired: false\n", "apply", "-f", "-").ok();
        assertThat(kubectl.run("get", "csidriver", "k.example.com", "-o", "jsonpath={.metadata.generation}").ok()
                .out()).isEmpty();

        kubectl.run("patch", "csidriver", "k.example.com", "--type=merge", "-p",
                "{\"spec\":{\"storageCapacity\":true}}").ok();

        assertThat(kubectl.run("get", "csidriver", "k.example.com", "-o", "jsonpath={.metadata.generation}").ok()
                .out()).isEqualTo("1");
    }
}

package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server-side apply through status subresources leaves out what upstream's status strategies reset
 * ({@code GetResetFields}): the applier neither owns those fields nor conflicts on them, and their values stay.
 */
class StatusResetFieldsTest {

    private static final String APPLY = "application/apply-patch+yaml";

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

    private static JsonNode ok(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    /** The fieldsV1 of {@code manager}'s entry written through {@code subresource}. */
    private static JsonNode fieldsOf(JsonNode obj, String manager, String subresource) {
        for (JsonNode entry : obj.path("metadata").path("managedFields")) {
            if (entry.path("manager").asString().equals(manager)
                    && entry.path("subresource").asString("").equals(subresource)) {
                return entry.path("fieldsV1");
            }
        }
        throw new AssertionError("no managedFields entry of " + manager + " in " + obj);
    }

    @Test
    void deploymentStatusApplyIgnoresLabels() {
        String deployment = "/apis/apps/v1/namespaces/default/deployments/web";
        ok(cluster.server().send("PATCH", deployment + "?fieldManager=creator", APPLY, "{\"apiVersion\":\"apps/v1\","
                + "\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"labels\":{\"tier\":\"front\"}},"
                + "\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":"
                + "{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}"), 201);
        // labels owned by another manager: upstream resets them for deployments/status, so no conflict
        JsonNode applied = ok(cluster.server().send("PATCH", deployment + "/status?fieldManager=status-writer", APPLY,
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"labels\":"
                        + "{\"tier\":\"back\",\"extra\":\"x\"}},\"status\":{\"observedGeneration\":1}}"), 200);
        assertThat(applied.path("metadata").path("labels").toString()).isEqualTo("{\"tier\":\"front\"}");
        assertThat(applied.path("status").path("observedGeneration").asLong()).isEqualTo(1);
        JsonNode fields = fieldsOf(applied, "status-writer", "status");
        assertThat(fields.has("f:status")).as(fields.toString()).isTrue();
        assertThat(fields.has("f:metadata")).as(fields.toString()).isFalse();
        assertThat(fieldsOf(applied, "creator", "").path("f:metadata").path("f:labels").has("f:tier")).isTrue();
    }

    @Test
    void podStatusApplyIgnoresOwnerReferences() {
        String pods = "/api/v1/namespaces/default/pods";
        String owner = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"NAME\",\"uid\":\"UID\"}";
        ok(cluster.server().send("POST", pods, "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
                + "\"metadata\":{\"name\":\"p\",\"ownerReferences\":["
                + owner.replace("NAME", "o1").replace("UID", "u1")
                + "]},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}"), 201);
        JsonNode applied = ok(cluster.server().send("PATCH", pods + "/p/status?fieldManager=kubelet", APPLY,
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"labels\":{\"seen\":\"yes\"},"
                        + "\"ownerReferences\":[" + owner.replace("NAME", "o2").replace("UID", "u2") + "]},"
                        + "\"status\":{\"phase\":\"Running\"}}"), 200);
        assertThat(applied.path("metadata").path("ownerReferences").findValuesAsString("name")).containsExactly("o1");
        JsonNode metadata = fieldsOf(applied, "kubelet", "status").path("f:metadata");
        // labels are the pod status strategy's to take, ownerReferences not
        assertThat(metadata.has("f:labels")).as(metadata.toString()).isTrue();
        assertThat(metadata.has("f:ownerReferences")).as(metadata.toString()).isFalse();
    }
}

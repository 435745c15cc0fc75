package io.kube4j.apiserver.componentstatus;

import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * v1 componentstatuses asked for as metadata only (what client-go's metadata client sends): converted as every
 * resource's answer is, or refused with upstream's 406 where the answer is not of the shape asked for.
 */
class ComponentStatusMetadataTest {

    private static final String OBJECT = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";
    private static final String LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aListIsAPartialObjectMetadataList() {
        HttpResponse<String> list = server.get("/api/v1/componentstatuses", "Accept", LIST);

        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(list.headers().firstValue("Warning")).contains(ComponentStatusApi.WARNING);
        JsonNode doc = json(list);
        assertThat(doc.path("kind").asString()).isEqualTo("PartialObjectMetadataList");
        assertThat(doc.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1");
        assertThat(doc.path("items").findValuesAsString("name")).containsExactly("scheduler", "controller-manager",
                "etcd-0");
        for (JsonNode item : doc.path("items")) {
            assertThat(item.path("kind").asString()).isEqualTo("PartialObjectMetadata");
            assertThat(item.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1");
            assertThat(item.has("conditions")).isFalse();
        }
    }

    @Test
    void anObjectIsAPartialObjectMetadata() {
        HttpResponse<String> one = server.get("/api/v1/componentstatuses/etcd-0", "Accept",
                OBJECT.replace("v=v1", "v=v1beta1"));

        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        JsonNode doc = json(one);
        assertThat(doc.path("kind").asString()).isEqualTo("PartialObjectMetadata");
        assertThat(doc.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1beta1");
        assertThat(doc.at("/metadata/name").asString()).isEqualTo("etcd-0");
        assertThat(doc.has("conditions")).isFalse();
    }

    @Test
    void theWrongShapeIs406AsUpstreamsTransformationAnswers() {
        HttpResponse<String> listAsObject = server.get("/api/v1/componentstatuses", "Accept", OBJECT);
        assertThat(listAsObject.statusCode()).isEqualTo(406);
        assertThat(json(listAsObject).path("message").asString()).isEqualTo("you requested PartialObjectMetadata, "
                + "but the requested object is a list (*core.ComponentStatusList)");

        HttpResponse<String> objectAsList = server.get("/api/v1/componentstatuses/etcd-0", "Accept", LIST);
        assertThat(objectAsList.statusCode()).isEqualTo(406);
        assertThat(json(objectAsList).path("message").asString()).isEqualTo("you requested "
                + "PartialObjectMetadataList, but the requested object is not a list (*core.ComponentStatus)");

        assertThat(server.get("/api/v1/componentstatuses", "Accept",
                "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v3").statusCode()).isEqualTo(406);
    }
}

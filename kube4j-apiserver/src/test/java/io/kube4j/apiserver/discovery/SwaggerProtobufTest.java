package io.kube4j.apiserver.discovery;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protobuf form of {@code /openapi/v2}, read back by field number as gnostic's {@code OpenAPIv2.proto} numbers
 * them (kubectl reads it with the generated Go code of that file).
 */
class SwaggerProtobufTest {

    private static UnknownFieldSet message(ByteString bytes) throws Exception {
        return UnknownFieldSet.parseFrom(bytes);
    }

    private static UnknownFieldSet field(UnknownFieldSet message, int number) throws Exception {
        List<ByteString> values = message.getField(number).getLengthDelimitedList();
        assertThat(values).as("field " + number).hasSize(1);
        return message(values.get(0));
    }

    private static String string(UnknownFieldSet message, int number) {
        List<ByteString> values = message.getField(number).getLengthDelimitedList();
        return values.isEmpty() ? null : values.get(0).toStringUtf8();
    }

    /** The value (field 2) of the entry named {@code name} among the {@code Named...} messages of a field. */
    private static UnknownFieldSet named(UnknownFieldSet message, int number, String name) throws Exception {
        for (ByteString entry : message.getField(number).getLengthDelimitedList()) {
            UnknownFieldSet named = message(entry);
            if (name.equals(string(named, 1))) {
                return field(named, 2);
            }
        }
        throw new AssertionError("no " + name + " in field " + number);
    }

    @Test
    void definitionsCarryTypesPropertiesExtensionsAndEnums() throws Exception {
        UnknownFieldSet doc = UnknownFieldSet.parseFrom(new OpenApiDocuments(ResourceRegistry.builtin()).v2Protobuf());
        assertThat(string(doc, 1)).isEqualTo("2.0");
        assertThat(string(field(doc, 2), 1)).isEqualTo("Kubernetes");

        UnknownFieldSet pod = named(field(doc, 9), 1, "io.k8s.api.core.v1.Pod");
        UnknownFieldSet gvk = named(pod, 31, "x-kubernetes-group-version-kind");
        assertThat(Json.parse(string(gvk, 2).getBytes()).get(0).path("kind").asString()).isEqualTo("Pod");
        UnknownFieldSet apiVersion = named(field(pod, 25), 1, "apiVersion");
        assertThat(string(field(apiVersion, 22), 1)).isEqualTo("string");
        assertThat(string(named(field(pod, 25), 1, "spec"), 1)).isEqualTo("#/definitions/io.k8s.api.core.v1.PodSpec");

        UnknownFieldSet restartPolicy = named(field(named(field(doc, 9), 1, "io.k8s.api.core.v1.PodSpec"), 25), 1,
                "restartPolicy");
        List<String> values = new ArrayList<>();
        for (ByteString any : restartPolicy.getField(20).getLengthDelimitedList()) {
            values.add(Json.parse(string(message(any), 2).getBytes()).asString());
        }
        assertThat(values).containsExactly("Always", "Never", "OnFailure");
    }

    @Test
    void parametersAreBodyOrNonBodyByWhereTheyGo() throws Exception {
        byte[] bytes = SwaggerProtobuf.document(Json.parse("""
                {"swagger": "2.0", "paths": {"/api/v1/pods": {"post": {"parameters": [
                  {"in": "body", "name": "body", "required": true, "schema": {"$ref": "#/definitions/P"}},
                  {"in": "query", "name": "dryRun", "type": "string", "uniqueItems": true},
                  {"in": "path", "name": "name", "required": true, "type": "string"}],
                  "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/P"}}},
                  "x-kubernetes-action": "post"}}},
                 "definitions": {"P": {"type": "object", "additionalProperties": {"type": "string"},
                   "items": [{"type": "string"}]}}}
                """.getBytes()));
        UnknownFieldSet doc = UnknownFieldSet.parseFrom(bytes);
        UnknownFieldSet post = field(named(field(doc, 8), 2, "/api/v1/pods"), 4);
        List<ByteString> parameters = post.getField(8).getLengthDelimitedList();
        assertThat(parameters).hasSize(3);
        UnknownFieldSet body = field(field(message(parameters.get(0)), 1), 1);
        assertThat(string(body, 2)).isEqualTo("body");
        assertThat(body.getField(4).getVarintList()).containsExactly(1L);
        assertThat(string(field(body, 5), 1)).isEqualTo("#/definitions/P");
        UnknownFieldSet query = field(field(field(message(parameters.get(1)), 1), 2), 3);
        assertThat(string(query, 4)).isEqualTo("dryRun");
        assertThat(string(query, 6)).isEqualTo("string");
        assertThat(query.getField(20).getVarintList()).containsExactly(1L);
        UnknownFieldSet path = field(field(field(message(parameters.get(2)), 1), 2), 4);
        assertThat(string(path, 5)).isEqualTo("string");
        UnknownFieldSet ok = field(named(field(post, 9), 1, "200"), 1);
        assertThat(string(ok, 1)).isEqualTo("OK");
        assertThat(string(field(field(ok, 2), 1), 1)).isEqualTo("#/definitions/P");
        assertThat(string(named(post, 13, "x-kubernetes-action"), 2)).isEqualTo("\"post\"");

        UnknownFieldSet p = named(field(doc, 9), 1, "P");
        assertThat(string(field(field(p, 21), 1), 22)).isNotNull();
        assertThat(field(p, 23).getField(1).getLengthDelimitedList()).hasSize(1);
    }
}

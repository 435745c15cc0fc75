package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The name admission errors print, found as upstream's admission.NewForbidden finds it. */
class AdmissionRequestTest {
    private static AdmissionRequest request(Operation operation, String name, ObjectNode object) {
        return new AdmissionRequest(operation, "", "pods", "", "default", name, object, null, null, false);
    }

    @Test
    void theRequestsNameThenTheObjectsNameOrGenerateNameThenUnknown() {
        ObjectNode generated = Json.object();
        generated.putObject("metadata").put("generateName", "web-");
        ObjectNode named = Json.object();
        named.putObject("metadata").put("name", "web-1").put("generateName", "web-");

        assertThat(request(Operation.CREATE, "web", generated).errorName()).isEqualTo("web");
        assertThat(request(Operation.CREATE, "", generated).errorName()).isEqualTo("web-");
        assertThat(request(Operation.CREATE, "", named).errorName()).isEqualTo("web-1");
        assertThat(request(Operation.DELETE, "", null).errorName()).isEqualTo("Unknown");
        assertThat(request(Operation.CREATE, "", Json.object()).errorName()).isEqualTo("Unknown");
    }
}

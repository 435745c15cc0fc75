package io.kube4j.api.status;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatusExceptionTest {

    private final JsonMapper mapper = JsonMapper.builder().build();

    @Test
    void notFoundRendersLikeUpstream() {
        String json = mapper.writeValueAsString(StatusException.notFound("", "pods", "x").toStatus());
        assertThat(json).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"pods \\\"x\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"x\","
                + "\"kind\":\"pods\"},\"code\":404}");
    }

    @Test
    void groupedResourcesAreQualified() {
        StatusException e = StatusException.alreadyExists("apps", "deployments", "web");
        assertThat(e.getMessage()).isEqualTo("deployments.apps \"web\" already exists");
        assertThat(e.code()).isEqualTo(409);
        assertThat(e.toStatus().path("details").path("group").asString()).isEqualTo("apps");
    }

    @Test
    void staleUpdateIsAConflict() {
        StatusException e = StatusException.staleResourceVersion("", "pods", "x");
        assertThat(e.getMessage()).isEqualTo("Operation cannot be fulfilled on pods \"x\": the object has been "
                + "modified; please apply your changes to the latest version and try again");
        assertThat(e.reason()).isEqualTo(StatusReason.CONFLICT);
    }

    @Test
    void invalidListsCauses() {
        StatusException one = StatusException.invalid("", "Pod", "X", List.of(
                new StatusCause("FieldValueInvalid", "Invalid value: \"X\": bad", "metadata.name")));
        assertThat(one.getMessage()).isEqualTo("Pod \"X\" is invalid: metadata.name: Invalid value: \"X\": bad");
        StatusException two = StatusException.invalid("apps", "Deployment", "d", List.of(
                new StatusCause("FieldValueRequired", "Required value", "spec.selector"),
                new StatusCause("FieldValueRequired", "Required value", "spec.template")));
        assertThat(two.getMessage()).isEqualTo("Deployment.apps \"d\" is invalid: [spec.selector: Required value, "
                + "spec.template: Required value]");
        assertThat(two.code()).isEqualTo(422);
        assertThat(two.toStatus().path("details").path("causes")).hasSize(2);
        assertThat(two.toStatus().path("details").path("kind").asString()).isEqualTo("Deployment");
    }

    @Test
    void otherFactoriesCarryTheirCodes() {
        assertThat(StatusException.badRequest("x").code()).isEqualTo(400);
        assertThat(StatusException.methodNotAllowed("", "bindings", "list").getMessage())
                .isEqualTo("list is not supported on resources of kind \"bindings\"");
        assertThat(StatusException.methodNotAllowed("", "bindings", "list").code()).isEqualTo(405);
        assertThat(StatusException.unsupportedMediaType("text/plain", List.of("application/json")).code()).isEqualTo(415);
        assertThat(StatusException.requestEntityTooLarge(3 << 20).code()).isEqualTo(413);
        assertThat(StatusException.expired("too old").toStatus().path("reason").asString()).isEqualTo("Expired");
        assertThat(StatusException.expired("too old").code()).isEqualTo(410);
        assertThat(StatusException.internalError("boom").getMessage()).isEqualTo("Internal error occurred: boom");
        assertThat(StatusException.forbidden("", "pods", "p", "unable to create new content in namespace x "
                + "because it is being terminated").code()).isEqualTo(403);
        assertThat(StatusException.unauthorized(null).code()).isEqualTo(401);
    }

    @Test
    void successStatusOfDelete() {
        assertThat(Statuses.success("", "pods", "x", "u1").path("status").asString()).isEqualTo("Success");
    }
}

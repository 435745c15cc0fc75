package io.kube4j.apiserver.apiregistration;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The Available condition of local, in-process and unproxied APIServices. */
class AvailabilityTest {

    private static ObjectNode apiService(String spec) {
        return (ObjectNode) Json.parse(("{\"spec\":" + spec.replace('\'', '"') + "}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLocalApiServiceIsAlwaysAvailable() {
        assertThat(Availability.of(apiService("{'group':'apps','version':'v1'}"), true))
                .isEqualTo(new Availability(true, "Local", "Local APIServices are always available"));
        // upstream's local controller does not look further: whether the group/version is served is not its question
        assertThat(Availability.of(apiService("{'group':'apps','version':'v1'}"), false).available()).isTrue();
    }

    @Test
    void aServiceApiServiceForAGroupVersionServedHereIsAvailableAndSaysSo() {
        Availability availability = Availability.of(apiService("{'group':'metrics.k8s.io','version':'v1beta1',"
                + "'service':{'namespace':'kube-system','name':'metrics-server'}}"), true);
        assertThat(availability.status()).isEqualTo("True");
        assertThat(availability.reason()).isEqualTo("ServedInProcess");
        assertThat(availability.message()).isEqualTo("kube4j serves metrics.k8s.io/v1beta1 itself; requests are "
                + "answered by the API server, not proxied to service kube-system/metrics-server");
    }

    @Test
    void aServiceApiServiceForAnythingElseIsUnavailable() {
        Availability availability = Availability.of(apiService("{'group':'custom.metrics.k8s.io','version':'v1beta2',"
                + "'service':{'namespace':'monitoring','name':'adapter','port':443}}"), false);
        assertThat(availability.status()).isEqualTo("False");
        assertThat(availability.reason()).isEqualTo("AggregationNotSupported");
        assertThat(availability.message()).isEqualTo("kube4j does not proxy to aggregated API servers: requests for "
                + "custom.metrics.k8s.io/v1beta2 are answered 503, not sent to service monitoring/adapter");
    }

    @Test
    void aConditionStatesAnAvailabilityWhenStatusReasonAndMessageAgree() {
        Availability local = Availability.of(apiService("{'version':'v1'}"), true);
        ObjectNode condition = Json.object().put("type", "Available").put("status", "True").put("reason", "Local")
                .put("message", "Local APIServices are always available");
        assertThat(local.isStatedBy(condition)).isTrue();
        assertThat(local.isStatedBy(condition.deepCopy().put("status", "False"))).isFalse();
        assertThat(local.isStatedBy(null)).isFalse();
    }
}

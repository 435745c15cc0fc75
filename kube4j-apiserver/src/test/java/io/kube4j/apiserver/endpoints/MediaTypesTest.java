package io.kube4j.apiserver.endpoints;

import io.kube4j.api.status.StatusException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MediaTypesTest {

    @Test
    void tableIsWantedOnlyWhenAskedFirst() {
        assertThat(MediaTypes.wantsTable("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;"
                + "v=v1beta1;g=meta.k8s.io,application/json")).isTrue();
        assertThat(MediaTypes.wantsTable("application/json")).isFalse();
        assertThat(MediaTypes.wantsTable(null)).isFalse();
        assertThat(MediaTypes.wantsTable("application/json, application/json;as=Table;v=v1;g=meta.k8s.io")).isFalse();
    }

    @Test
    void aggregatedDiscoveryVersion() {
        assertThat(MediaTypes.aggregatedDiscovery("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"))
                .isEqualTo("v2");
        assertThat(MediaTypes.aggregatedDiscovery("application/json;g=apidiscovery.k8s.io;v=v2beta1;"
                + "as=APIGroupDiscoveryList")).isEqualTo("v2beta1");
        assertThat(MediaTypes.aggregatedDiscovery("application/json")).isNull();
    }

    @Test
    void yamlIsWantedWhenItsClauseComesFirst() {
        assertThat(MediaTypes.wantsYaml("application/yaml")).isTrue();
        assertThat(MediaTypes.wantsYaml("application/json;q=0.5, application/yaml")).isTrue();
        assertThat(MediaTypes.wantsYaml("application/yaml, application/json")).as("equal weight: the client's order")
                .isTrue();
        assertThat(MediaTypes.wantsYaml("application/yaml;q=0.5, application/json")).isFalse();
        assertThat(MediaTypes.wantsYaml("application/*, */*")).as("ranges are answered with JSON").isFalse();
        assertThat(MediaTypes.wantsYaml("application/vnd.kubernetes.protobuf, application/yaml")).isFalse();
        assertThat(MediaTypes.wantsYaml("application/json;as=Table;v=v1;g=meta.k8s.io, application/yaml")).isFalse();
        assertThat(MediaTypes.wantsYaml("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, "
                + "application/yaml")).as("a conversion not served is passed over").isTrue();
        assertThat(MediaTypes.wantsYaml("text/html, application/yaml;q=0.1")).isTrue();
        assertThat(MediaTypes.wantsYaml(null)).isFalse();
    }

    @Test
    void bodyTypeDropsParameters() {
        assertThat(MediaTypes.bodyType("application/json; charset=utf-8")).isEqualTo("application/json");
        assertThat(MediaTypes.bodyType(null)).isEqualTo("application/json");
    }

    @Test
    void nothingAcceptableIs406() {
        assertThatThrownBy(() -> MediaTypes.checkAcceptable("text/html"))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(406));
        MediaTypes.checkAcceptable("application/vnd.kubernetes.protobuf,application/json");
        MediaTypes.checkAcceptable("*/*");
    }

    @Test
    void weightsOrderTheClausesAndZeroAcceptsNothing() {
        String table = "application/json;as=Table;v=v1;g=meta.k8s.io";
        assertThat(MediaTypes.wantsTable("application/json;q=0.5, " + table)).isTrue();
        assertThat(MediaTypes.wantsTable(table + ";q=0.5, */*")).as("*/* weighs more").isFalse();
        assertThat(MediaTypes.wantsTable("*/*, " + table)).as("the more specific first at equal weight").isTrue();
        assertThat(MediaTypes.wantsTable(table + ";q=0")).isFalse();
        assertThat(MediaTypes.wantsTable("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, " + table))
                .isTrue();
        assertThat(MediaTypes.aggregatedDiscovery("application/json;g=apidiscovery.k8s.io;v=v2;"
                + "as=APIGroupDiscoveryList;q=0, application/json")).isNull();

        assertThatThrownBy(() -> MediaTypes.checkAcceptable("application/json;q=0"))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(406));
        assertThatThrownBy(() -> MediaTypes.checkAcceptable("application/json;q=abc, text/html"))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(406));
        MediaTypes.checkAcceptable("application/json;q=0, application/yaml;q=0.001");
    }
}

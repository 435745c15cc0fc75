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
                + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json")
                .conversion().version()).isEqualTo("v2");
        assertThat(MediaTypes.aggregatedDiscovery("application/json;g=apidiscovery.k8s.io;v=v2beta1;"
                + "as=APIGroupDiscoveryList").conversion().version()).isEqualTo("v2beta1");
        assertThat(MediaTypes.aggregatedDiscovery("application/json")).isNull();
        // upstream's wrapper negotiates through all its serializers: aggregated discovery in YAML too
        assertThat(MediaTypes.aggregatedDiscovery("application/yaml;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
                .format()).isEqualTo(MediaTypes.YAML);
    }

    @Test
    void aYamlClauseBeforeATableOfEqualWeightIsThePlainObjectInYaml() {
        // upstream's NegotiateMediaTypeOptions takes the first clause a serializer accepts: YAML without conversion
        String header = "application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io";
        assertThat(MediaTypes.wantsYaml(header)).isTrue();
        assertThat(MediaTypes.wantsTable(header)).isFalse();
        // a Table asked for in YAML is one (RequestScope allows Tables in JSON and YAML)
        assertThat(MediaTypes.wantsYaml("application/yaml;as=Table;v=v1;g=meta.k8s.io")).isTrue();
        assertThat(MediaTypes.wantsTable("application/yaml;as=Table;v=v1;g=meta.k8s.io")).isTrue();
        // a Table of no version upstream converts to is no Table
        assertThat(MediaTypes.wantsTable("application/json;as=Table;g=meta.k8s.io")).isFalse();
        // YAML has no stream framing: a YAML stream clause is passed over
        assertThat(MediaTypes.wantsYaml("application/yaml;stream=watch, application/json")).isFalse();
    }

    @Test
    void discoveryDocumentsNegotiateWithoutConversions() {
        assertThat(MediaTypes.discoveryDocument("application/yaml").format()).isEqualTo(MediaTypes.YAML);
        assertThat(MediaTypes.discoveryDocument(null).format()).isEqualTo(MediaTypes.JSON);
        assertThat(MediaTypes.discoveryDocument("application/json;as=Table;v=v1;g=meta.k8s.io, application/yaml")
                .format()).isEqualTo(MediaTypes.YAML);
        assertThat(MediaTypes.discoveryDocument("text/html")).isNull();
        assertThat(MediaTypes.discoveryDocument("application/json;as=Table;v=v1;g=meta.k8s.io")).isNull();
        assertThat(MediaTypes.acceptsJsonByName("application/json;q=0.1, text/html")).isTrue();
        assertThat(MediaTypes.acceptsJsonByName("*/*")).isTrue();
        assertThat(MediaTypes.acceptsJsonByName("application/*")).isFalse();
        assertThat(MediaTypes.acceptsJsonByName("application/yaml")).isFalse();
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
        assertThat(MediaTypes.wantsYaml("application/json;as=PartialObject;g=meta.k8s.io;v=v1, "
                + "application/yaml")).as("a conversion not served is passed over").isTrue();
        assertThat(MediaTypes.wantsYaml("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, "
                + "application/yaml")).as("one served is not").isFalse();
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
                .as("PartialObjectMetadata is served too: the first clause wins").isFalse();
        assertThat(MediaTypes.aggregatedDiscovery("application/json;g=apidiscovery.k8s.io;v=v2;"
                + "as=APIGroupDiscoveryList;q=0, application/json")).isNull();

        assertThatThrownBy(() -> MediaTypes.checkAcceptable("application/json;q=0"))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(406));
        assertThatThrownBy(() -> MediaTypes.checkAcceptable("application/json;q=abc, text/html"))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(406));
        MediaTypes.checkAcceptable("application/json;q=0, application/yaml;q=0.001");
    }

    @Test
    void resourcesConvertAsUpstreamsRequestScopeAllows() {
        // client-go's metadata client: protobuf first, which kube4j answers with JSON, in the conversion asked for
        MediaTypes.Conversion list = MediaTypes.resourceConversion("application/vnd.kubernetes.protobuf;"
                + "as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;"
                + "g=meta.k8s.io;v=v1,application/json");
        assertThat(list.isPartialObjectMetadataList()).isTrue();
        assertThat(list.apiVersion()).isEqualTo("meta.k8s.io/v1");
        MediaTypes.Conversion one = MediaTypes.resourceConversion(
                "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1");
        assertThat(one.isPartialObjectMetadata()).isTrue();
        assertThat(one.isTable()).isFalse();
        assertThat(one.apiVersion()).isEqualTo("meta.k8s.io/v1beta1");
        assertThat(MediaTypes.resourceConversion("application/yaml;as=PartialObjectMetadata;g=meta.k8s.io;v=v1")
                .isPartialObjectMetadata()).isTrue();
        assertThat(MediaTypes.resourceConversion("application/json;as=Table;g=meta.k8s.io;v=v1beta1").apiVersion())
                .isEqualTo("meta.k8s.io/v1beta1");
        // a Table in protobuf is not served: the next clause answers
        assertThat(MediaTypes.resourceConversion("application/vnd.kubernetes.protobuf;as=Table;g=meta.k8s.io;v=v1, "
                + "application/json")).isNull();
        assertThat(MediaTypes.resourceConversion("application/json")).isNull();
    }

    @Test
    void aConversionNotServedWithoutFallbackIs406() {
        for (String refused : new String[] {"application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1alpha1",
                "application/json;as=PartialObjectMetadata;g=k8s.io;v=v1", "application/json;as=PartialObject;"
                + "g=meta.k8s.io;v=v1", "application/json;g=meta.k8s.io;v=v1", "application/json;as=Service;g=;v=v1",
                "application/vnd.kubernetes.protobuf;as=Table;g=meta.k8s.io;v=v1", "text/html"}) {
            assertThatThrownBy(() -> MediaTypes.checkResourceAcceptable(refused, true)).as(refused)
                    .isInstanceOfSatisfying(StatusException.class, e -> {
                        assertThat(e.code()).isEqualTo(406);
                        assertThat(e.getMessage()).isEqualTo("only the following media types are accepted: "
                                + "application/json, application/yaml, application/vnd.kubernetes.protobuf");
                    });
        }
        MediaTypes.checkResourceAcceptable("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1", true);
        MediaTypes.checkResourceAcceptable("application/json;as=PartialObject;g=meta.k8s.io;v=v1, application/json",
                true);
        // an endpoint answering no object (pods/log) converts nothing: a conversion alone is refused, a fallback served
        assertThatThrownBy(() -> MediaTypes.checkResourceAcceptable(
                "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1", false))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(406));
        MediaTypes.checkResourceAcceptable("application/json;as=Table;g=meta.k8s.io;v=v1, */*", false);
    }
}

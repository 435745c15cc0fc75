package io.kube4j.apiserver.endpoints;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Values their fields cannot hold are found with Go's decoder's words; what Go accepts passes. */
class FieldTypesTest {

    private static String mismatch(String group, String version, String kind, String json) {
        FieldTypes.Mismatch m = FieldTypes.find(group, version, kind, (ObjectNode) Json.parse(json.getBytes()));
        return m == null ? null : m.goMessage();
    }

    @Test
    void aStringForAnIntegerNamesTheStructFieldAndGoType() {
        assertThat(mismatch("apps", "v1", "Deployment", """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":"abc"}}"""))
                .isEqualTo("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32");
        assertThat(mismatch("apps", "v1", "Deployment", """
                {"metadata":{"name":"d"},"spec":{"replicas":1.5}}"""))
                .isEqualTo("json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32");
    }

    @Test
    void mapValuesListsAndStructsAreHeldToTheirTypes() {
        assertThat(mismatch("", "v1", "ConfigMap", """
                {"metadata":{"name":"c"},"data":{"a":"x","b":1}}"""))
                .isEqualTo("json: cannot unmarshal number into Go struct field ConfigMap.data of type string");
        assertThat(mismatch("", "v1", "Pod", """
                {"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"busybox","command":"sleep"}]}}"""))
                .isEqualTo("json: cannot unmarshal string into Go struct field Container.spec.containers.command of type []string");
        assertThat(mismatch("", "v1", "Pod", """
                {"metadata":{"name":"p"},"spec":{"containers":{"name":"c"}}}"""))
                .isEqualTo("json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container");
        assertThat(mismatch("", "v1", "Pod", """
                {"metadata":{"name":"p","labels":["a"]}}"""))
                .isEqualTo("json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string");
    }

    @Test
    void whatGoAcceptsPasses() {
        // quantities as numbers, int-or-string both ways, nulls anywhere, timestamps as strings
        assertThat(mismatch("", "v1", "Pod", """
                {"metadata":{"name":"p","creationTimestamp":null,"labels":null},
                 "spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","1"],
                   "resources":{"limits":{"cpu":1,"memory":"64Mi"}},
                   "livenessProbe":{"httpGet":{"port":"http"}},"readinessProbe":{"httpGet":{"port":8080}}}],
                   "terminationGracePeriodSeconds":30,"hostNetwork":false}}""")).isNull();
        assertThat(mismatch("", "v1", "Service", """
                {"metadata":{"name":"s"},"spec":{"ports":[{"port":80,"targetPort":"web"}]}}""")).isNull();
        assertThat(mismatch("", "v1", "Service", """
                {"metadata":{"name":"s"},"spec":{"ports":[{"port":80,"targetPort":true}]}}"""))
                .isEqualTo("json: cannot unmarshal bool into Go value of type int32");
        assertThat(mismatch("example.com", "v1", "Widget", "{\"spec\":{\"x\":1}}")).isNull();
    }
}

package io.kube4j.api.conversion;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class HpaConversionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String V2 = """
            {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
             "metadata":{"name":"web","namespace":"ns","uid":"u1","annotations":{"team":"a"},
                         "managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"autoscaling/v2",
                                           "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:metrics":{}}}}]},
             "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},
                     "minReplicas":2,"maxReplicas":10,
                     "metrics":[
                       {"type":"Resource","resource":{"name":"memory",
                            "target":{"type":"AverageValue","averageValue":"500Mi"}}},
                       {"type":"Pods","pods":{"metric":{"name":"qps","selector":{"matchLabels":{"a":"b"}}},
                            "target":{"type":"AverageValue","averageValue":"10"}}},
                       {"type":"Object","object":{"describedObject":{"kind":"Service","name":"s","apiVersion":"v1"},
                            "target":{"type":"Value","value":"2k"},"metric":{"name":"rps"}}},
                       {"type":"External","external":{"metric":{"name":"queue"},
                            "target":{"type":"AverageValue","averageValue":"30"}}},
                       {"type":"ContainerResource","containerResource":{"name":"cpu","container":"app",
                            "target":{"type":"Utilization","averageUtilization":60}}},
                       {"type":"Resource","resource":{"name":"cpu",
                            "target":{"type":"Utilization","averageUtilization":70}}}],
                     "behavior":{"scaleUp":{"stabilizationWindowSeconds":0,"selectPolicy":"Max",
                                            "policies":[{"type":"Pods","value":4,"periodSeconds":15}]},
                                 "scaleDown":{"stabilizationWindowSeconds":300,"selectPolicy":"Min",
                                            "policies":[{"type":"Percent","value":100,"periodSeconds":15}]}}},
             "status":{"observedGeneration":3,"lastScaleTime":"2024-01-01T00:00:00Z","currentReplicas":2,
                       "desiredReplicas":3,
                       "currentMetrics":[
                         {"type":"Resource","resource":{"name":"cpu",
                              "current":{"averageValue":"120m","averageUtilization":55}}},
                         {"type":"Resource","resource":{"name":"memory","current":{"averageValue":"300Mi"}}}],
                       "conditions":[{"type":"AbleToScale","status":"True",
                                      "lastTransitionTime":"2024-01-01T00:00:00Z","reason":"SucceededRescale",
                                      "message":"ok"}]}}""";

    private static ObjectNode parse(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void theCpuUtilizationTargetIsV1sFieldAndTheRestGoesIntoAnnotations() {
        ObjectNode v1 = HpaV2ToV1.convert(parse(V2));

        assertThat(v1.path("apiVersion").asString()).isEqualTo("autoscaling/v1");
        JsonNode spec = v1.path("spec");
        assertThat(spec.path("targetCPUUtilizationPercentage").asInt()).isEqualTo(70);
        assertThat(spec.path("minReplicas").asInt()).isEqualTo(2);
        assertThat(spec.path("scaleTargetRef").path("name").asString()).isEqualTo("web");
        assertThat(spec.has("metrics")).isFalse();
        assertThat(spec.has("behavior")).isFalse();
        JsonNode status = v1.path("status");
        assertThat(status.path("currentCPUUtilizationPercentage").asInt()).isEqualTo(55);
        assertThat(status.path("desiredReplicas").asInt()).isEqualTo(3);
        assertThat(status.has("conditions")).isFalse();

        JsonNode annotations = v1.path("metadata").path("annotations");
        assertThat(annotations.path("team").asString()).isEqualTo("a");
        JsonNode metrics = JSON.readTree(annotations.path("autoscaling.alpha.kubernetes.io/metrics").asString());
        assertThat(metrics).hasSize(5);
        assertThat(metrics.get(0).toString()).isEqualTo(
                "{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"targetAverageValue\":\"500Mi\"}}");
        assertThat(metrics.get(1).path("pods").path("metricName").asString()).isEqualTo("qps");
        assertThat(metrics.get(1).path("pods").path("targetAverageValue").asString()).isEqualTo("10");
        assertThat(metrics.get(2).path("object").path("target").path("kind").asString()).isEqualTo("Service");
        assertThat(metrics.get(2).path("object").path("targetValue").asString()).isEqualTo("2k");
        assertThat(metrics.get(3).path("external").path("targetAverageValue").asString()).isEqualTo("30");
        assertThat(metrics.get(4).path("containerResource").path("targetAverageUtilization").asInt()).isEqualTo(60);
        // the CPU utilization status is kept in the annotation too, with its raw value
        JsonNode current = JSON.readTree(annotations.path("autoscaling.alpha.kubernetes.io/current-metrics")
                .asString());
        assertThat(current.get(0).toString()).isEqualTo("{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\","
                + "\"currentAverageUtilization\":55,\"currentAverageValue\":\"120m\"}}");
        assertThat(annotations.path("autoscaling.alpha.kubernetes.io/behavior").asString()).isEqualTo(
                "{\"ScaleUp\":{\"StabilizationWindowSeconds\":0,\"SelectPolicy\":\"Max\",\"Policies\":[{\"Type\":"
                + "\"Pods\",\"Value\":4,\"PeriodSeconds\":15}]},\"ScaleDown\":{\"StabilizationWindowSeconds\":300,"
                + "\"SelectPolicy\":\"Min\",\"Policies\":[{\"Type\":\"Percent\",\"Value\":100,\"PeriodSeconds\":15}]}}");
        assertThat(annotations.path("autoscaling.alpha.kubernetes.io/conditions").asString())
                .contains("\"reason\":\"SucceededRescale\"");
        // managedFields are kept as recorded: each entry names the version its fields are in
        assertThat(v1.path("metadata").path("managedFields").get(0).path("apiVersion").asString())
                .isEqualTo("autoscaling/v2");
    }

    @Test
    void v2RoundTripsThroughV1() {
        ObjectNode original = parse(V2);
        ObjectNode back = HpaV1ToV2.convert(HpaV2ToV1.convert(original));

        assertThat(back.path("apiVersion").asString()).isEqualTo("autoscaling/v2");
        // the cpu target comes back after the other metrics, as upstream orders it
        assertThat(back.path("spec")).isEqualTo(original.path("spec"));
        assertThat(back.path("status")).isEqualTo(original.path("status"));
        assertThat(back.path("metadata")).isEqualTo(original.path("metadata"));
    }

    @Test
    void v1RoundTripsThroughV2() {
        ObjectNode v1 = parse("""
                {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler",
                 "metadata":{"name":"web","namespace":"ns"},
                 "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},
                         "minReplicas":1,"maxReplicas":5,"targetCPUUtilizationPercentage":50},
                 "status":{"currentReplicas":1,"desiredReplicas":2,"currentCPUUtilizationPercentage":40}}""");
        ObjectNode v2 = HpaV1ToV2.convert(v1);

        assertThat(v2.path("spec").path("metrics").toString()).isEqualTo("[{\"type\":\"Resource\",\"resource\":"
                + "{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\",\"averageUtilization\":50}}}]");
        assertThat(v2.path("status").path("currentMetrics").toString()).isEqualTo("[{\"type\":\"Resource\","
                + "\"resource\":{\"name\":\"cpu\",\"current\":{\"averageUtilization\":40}}}]");
        assertThat(v2.path("metadata").has("annotations")).isFalse();

        ObjectNode back = HpaV2ToV1.convert(v2);
        assertThat(back.path("spec")).isEqualTo(v1.path("spec"));
        assertThat(back.path("status").path("currentCPUUtilizationPercentage").asInt()).isEqualTo(40);
        assertThat(back.path("status").path("desiredReplicas").asInt()).isEqualTo(2);
    }

    @Test
    void aV1ObjectWithoutTargetGetsTheImpliedEightyPercent() {
        ObjectNode v2 = HpaV1ToV2.convert(parse("""
                {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"x"},
                 "spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"maxReplicas":3}}"""));
        assertThat(v2.path("spec").path("metrics").get(0).path("resource").path("target")
                .path("averageUtilization").asInt()).isEqualTo(80);
    }

    @Test
    void annotationsFromTheV1ObjectAreDecodedAndDropped() {
        ObjectNode v2 = HpaV1ToV2.convert(parse("""
                {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler",
                 "metadata":{"name":"x","annotations":{
                   "autoscaling.alpha.kubernetes.io/metrics":
                     "[{\\"type\\":\\"Resource\\",\\"resource\\":{\\"name\\":\\"memory\\",\\"targetAverageUtilization\\":70}}]",
                   "autoscaling.alpha.kubernetes.io/behavior":
                     "{\\"ScaleUp\\":null,\\"ScaleDown\\":{\\"StabilizationWindowSeconds\\":60,\\"SelectPolicy\\":null,\\"Policies\\":null}}",
                   "autoscaling.alpha.kubernetes.io/current-metrics": "[1]",
                   "autoscaling.alpha.kubernetes.io/conditions": "not json"}},
                 "spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"maxReplicas":3,
                         "targetCPUUtilizationPercentage":40}}"""));

        assertThat(v2.path("spec").path("metrics").toString()).isEqualTo("[{\"type\":\"Resource\",\"resource\":"
                + "{\"name\":\"memory\",\"target\":{\"type\":\"Utilization\",\"averageUtilization\":70}}},"
                + "{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\","
                + "\"averageUtilization\":40}}}]");
        assertThat(v2.path("spec").path("behavior").toString())
                .isEqualTo("{\"scaleDown\":{\"stabilizationWindowSeconds\":60}}");
        // an annotation that is not JSON is ignored, as upstream ignores it
        assertThat(v2.path("status").has("conditions")).isFalse();
        assertThat(v2.path("status").has("currentMetrics")).isFalse();
        assertThat(v2.path("metadata").has("annotations")).isFalse();
    }
}

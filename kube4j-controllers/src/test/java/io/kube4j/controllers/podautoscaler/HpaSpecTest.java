package io.kube4j.controllers.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HpaSpecTest {
    private static HorizontalPodAutoscaler hpa() {
        return new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("h").endMetadata().withNewSpec()
                .withMaxReplicas(5).withNewScaleTargetRef().withKind("Deployment").withName("d").endScaleTargetRef()
                .endSpec().build();
    }

    @Test
    void aV1TargetReadThroughV2BecomesACpuUtilizationMetric() {
        HorizontalPodAutoscaler h = hpa();
        h.getSpec().setAdditionalProperty("targetCPUUtilizationPercentage", 65);
        List<MetricSpec> specs = HorizontalPodAutoscalerController.metricSpecs(h);
        assertThat(specs).hasSize(1);
        assertThat(specs.get(0).getResource().getName()).isEqualTo("cpu");
        assertThat(specs.get(0).getResource().getTarget().getAverageUtilization()).isEqualTo(65);
    }

    @Test
    void noMetricMeansEightyPercentCpu() {
        assertThat(HorizontalPodAutoscalerController.metricSpecs(hpa()).get(0).getResource().getTarget()
                .getAverageUtilization()).isEqualTo(80);
    }

    @Test
    void selectorStringsMatchAsLabelSelectors() {
        Map<String, String> labels = Map.of("app", "web", "tier", "front");
        assertThat(SelectorString.matches("app=web", labels)).isTrue();
        assertThat(SelectorString.matches("app==web,tier!=back", labels)).isTrue();
        assertThat(SelectorString.matches("app=web,tier=back", labels)).isFalse();
        assertThat(SelectorString.matches("tier in (front, back),app", labels)).isTrue();
        assertThat(SelectorString.matches("tier notin (front),app", labels)).isFalse();
        assertThat(SelectorString.matches("!canary", labels)).isTrue();
        assertThat(SelectorString.matches("", labels)).isFalse();
    }
}

package io.kube4j.api.openapi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelTypesTest {

    @Test
    void findsTheFabric8ClassOfServedKinds() {
        assertThat(ModelTypes.kindClass("", "v1", "Pod")).contains(io.fabric8.kubernetes.api.model.Pod.class);
        assertThat(ModelTypes.kindClass("apps", "v1", "Deployment"))
                .contains(io.fabric8.kubernetes.api.model.apps.Deployment.class);
        assertThat(ModelTypes.kindClass("batch", "v1", "CronJob"))
                .contains(io.fabric8.kubernetes.api.model.batch.v1.CronJob.class);
        assertThat(ModelTypes.kindClass("rbac.authorization.k8s.io", "v1", "ClusterRole"))
                .contains(io.fabric8.kubernetes.api.model.rbac.ClusterRole.class);
        assertThat(ModelTypes.kindClass("autoscaling", "v2", "HorizontalPodAutoscaler"))
                .contains(io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class);
        assertThat(ModelTypes.kindClass("authentication.k8s.io", "v1", "TokenRequest"))
                .contains(io.fabric8.kubernetes.api.model.authentication.TokenRequest.class);
        assertThat(ModelTypes.kindClass("example.com", "v1", "Widget")).isEmpty();
        assertThat(ModelTypes.kindClass("apps", "v1beta7", "Deployment")).isEmpty();
    }

    @Test
    void namesDefinitionsAfterUpstreamGoPackages() {
        assertThat(ModelTypes.definitionName(io.fabric8.kubernetes.api.model.PodSpec.class))
                .isEqualTo("io.k8s.api.core.v1.PodSpec");
        assertThat(ModelTypes.definitionName(io.fabric8.kubernetes.api.model.ObjectMeta.class))
                .isEqualTo("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        assertThat(ModelTypes.definitionName(io.fabric8.kubernetes.api.model.IntOrString.class))
                .isEqualTo("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(ModelTypes.definitionName(io.fabric8.kubernetes.api.model.Quantity.class))
                .isEqualTo("io.k8s.apimachinery.pkg.api.resource.Quantity");
        assertThat(ModelTypes.definitionName(io.fabric8.kubernetes.api.model.runtime.RawExtension.class))
                .isEqualTo("io.k8s.apimachinery.pkg.runtime.RawExtension");
        assertThat(ModelTypes.definitionName(io.fabric8.kubernetes.api.model.apps.DeploymentSpec.class))
                .isEqualTo("io.k8s.api.apps.v1.DeploymentSpec");
        assertThat(ModelTypes.definitionName(io.fabric8.kubernetes.api.model.storage.StorageClass.class))
                .isEqualTo("io.k8s.api.storage.v1.StorageClass");
        assertThat(ModelTypes.definitionName(io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec.class))
                .isEqualTo("io.k8s.api.autoscaling.v2.MetricSpec");
        assertThat(ModelTypes.definitionName(
                io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class))
                .isEqualTo("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition");
        // fabric8 keeps the kube-aggregator's types in its core package
        assertThat(ModelTypes.kindClass("apiregistration.k8s.io", "v1", "APIService"))
                .contains(io.fabric8.kubernetes.api.model.APIService.class);
        assertThat(ModelTypes.definitionName(io.fabric8.kubernetes.api.model.ServiceReference.class))
                .isEqualTo("io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.ServiceReference");
        // metrics-server's types are k8s.io/metrics's; the reviews are k8s.io/api's
        assertThat(ModelTypes.definitionName(io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics.class))
                .isEqualTo("io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics");
        assertThat(ModelTypes.definitionName(io.fabric8.kubernetes.api.model.authentication.TokenReview.class))
                .isEqualTo("io.k8s.api.authentication.v1.TokenReview");
    }

    @Test
    void everyGeneratedDefinitionHasAnUpstreamName() {
        OpenApi.v2().get("definitions").properties().forEach(e -> assertThat(e.getKey())
                .matches("io\\.k8s\\.(api|apimachinery|apiextensions-apiserver|kube-aggregator|metrics)\\..*"));
    }
}

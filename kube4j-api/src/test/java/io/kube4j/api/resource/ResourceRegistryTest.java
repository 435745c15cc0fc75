package io.kube4j.api.resource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceRegistryTest {

    private final ResourceRegistry registry = ResourceRegistry.builtin();

    @Test
    void findsPodsByUrlKindAndShortName() {
        ResourceType pods = registry.find("", "v1", "pods").orElseThrow();
        assertThat(pods.kind()).isEqualTo("Pod");
        assertThat(pods.namespaced()).isTrue();
        assertThat(pods.categories()).containsExactly("all");
        assertThat(pods.subresource("binding")).hasValueSatisfying(s -> assertThat(s.verbs()).containsExactly("create"));
        assertThat(registry.findByKind("Pod")).contains(pods);
        assertThat(registry.findByShortName("po")).contains(pods);
        assertThat(registry.resolve("PODS")).contains(pods);
    }

    @Test
    void scaleSubresourceSpeaksAutoscalingScale() {
        ResourceType deployments = registry.find("apps", "v1", "deployments").orElseThrow();
        assertThat(deployments.subresource("scale").orElseThrow().kind()).isEqualTo("Scale");
        assertThat(deployments.qualifiedName()).isEqualTo("deployments.apps");
        assertThat(registry.resolve("deploy")).contains(deployments);
        assertThat(registry.resolve("deployments.apps")).contains(deployments);
    }

    @Test
    void namespacesAreClusterScopedWithoutDeleteCollection() {
        ResourceType namespaces = registry.resolve("ns").orElseThrow();
        assertThat(namespaces.namespaced()).isFalse();
        assertThat(namespaces.supports("deletecollection")).isFalse();
        assertThat(namespaces.hasSubresource("finalize")).isTrue();
    }

    @Test
    void coreEventsWinOverEventsK8sIo() {
        assertThat(registry.resolve("ev").orElseThrow().group()).isEmpty();
        assertThat(registry.resolve("events.events.k8s.io").orElseThrow().group()).isEqualTo("events.k8s.io");
    }

    @Test
    void autoscalingPrefersV2() {
        assertThat(registry.versions("autoscaling")).containsExactly("v2", "v1");
        assertThat(registry.resolve("hpa").orElseThrow().version()).isEqualTo("v2");
    }

    @Test
    void servesEveryGroupOfTheIssue() {
        assertThat(registry.groups()).contains("", "apps", "batch", "autoscaling", "coordination.k8s.io",
                "discovery.k8s.io", "events.k8s.io", "networking.k8s.io", "policy", "storage.k8s.io",
                "scheduling.k8s.io", "rbac.authorization.k8s.io", "apiextensions.k8s.io");
        assertThat(registry.inCategory("all")).extracting(ResourceType::plural)
                .contains("pods", "services", "deployments", "replicasets", "statefulsets", "daemonsets", "jobs");
    }

    @Test
    void customResourcesCanComeAndGo() {
        ResourceType crontabs = new ResourceType("stable.example.com", "v1", "CronTab", "crontabs", "crontab",
                true, java.util.List.of("ct"), java.util.List.of("all"), ResourceType.ALL_VERBS, java.util.List.of());
        registry.add(crontabs);
        assertThat(registry.resolve("ct")).contains(crontabs);
        assertThat(registry.groups()).contains("stable.example.com");
        assertThat(registry.remove("stable.example.com", "v1", "crontabs")).isTrue();
        assertThat(registry.groups()).doesNotContain("stable.example.com");
    }
}

package io.kube4j.kubelet.kuberuntime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PodHostnameTest {
    private static Pod pod(String name, String hostname, String subdomain) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().withHostname(hostname).withSubdomain(subdomain).endSpec().build();
    }

    @Test
    void theSubdomainMakesTheDomainInTheNamespacesServices() {
        PodHostname name = PodHostname.of(pod("db-0", "db-0", "db"), "cluster.local");

        assertThat(name).isEqualTo(new PodHostname("db-0", "db.shop.svc.cluster.local"));
        assertThat(name.fqdn()).isEqualTo("db-0.db.shop.svc.cluster.local");
    }

    @Test
    void withoutHostnameThePodsNameIsUsedAndWithoutSubdomainThereIsNoDomain() {
        PodHostname name = PodHostname.of(pod("web-abc", null, null), "cluster.local");

        assertThat(name).isEqualTo(new PodHostname("web-abc", ""));
        assertThat(name.fqdn()).isEqualTo("web-abc");
    }

    @Test
    void aLongNameIsCutTo63WithoutATrailingDashOrDot() {
        String name = "a".repeat(61) + "-.b";

        assertThat(PodHostname.of(pod(name, null, null), "cluster.local").hostname()).isEqualTo("a".repeat(61));
    }
}

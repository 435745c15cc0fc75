package io.kube4j.kubelet.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvResolverTest {
    private final ObjectSource objects = new ObjectSource() {
        @Override
        public ConfigMap configMap(String ns, String name) {
            return name.equals("cfg") ? new ConfigMapBuilder().addToData("a", "1").addToData("b", "2").build() : null;
        }

        @Override
        public Secret secret(String ns, String name) {
            return name.equals("sec") ? new SecretBuilder().addToData("pw", Base64.getEncoder().encodeToString("hunter2".getBytes())).build() : null;
        }

        @Override
        public List<Service> services(String ns) {
            return List.of(new ServiceBuilder().withNewMetadata().withName("my-db").withNamespace("ns").endMetadata()
                    .withNewSpec().withClusterIP("10.0.0.5").addNewPort().withName("sql").withPort(5432).withProtocol("TCP").endPort().endSpec().build());
        }
    };
    private final EnvResolver resolver = new EnvResolver(objects, () -> Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi")));

    private Pod pod(io.fabric8.kubernetes.api.model.Container c, Boolean serviceLinks) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").addToLabels("app", "x").endMetadata()
                .withNewSpec().withEnableServiceLinks(serviceLinks).withContainers(c).withNodeName("n1").endSpec().build();
    }

    @Test
    void resolvesEveryValueSourceInOrder() {
        var c = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("c")
                .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("cfg").endConfigMapRef().endEnvFrom()
                .addNewEnv().withName("PW").withNewValueFrom().withNewSecretKeyRef("pw", "sec", false).endValueFrom().endEnv()
                .addNewEnv().withName("APP").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['app']").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("MEM").withNewValueFrom().withNewResourceFieldRef().withResource("limits.memory")
                .withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("REF").withValue("$(CFG_a)-$(MISSING)-$$(CFG_a)").endEnv()
                .addNewEnv().withName("OPT").withNewValueFrom().withNewConfigMapKeyRef("nokey", "cfg", true).endValueFrom().endEnv()
                .build();
        Map<String, String> env = resolver.resolve(pod(c, null), c, "192.168.1.1", "10.1.1.1");
        assertThat(env).containsEntry("CFG_a", "1").containsEntry("CFG_b", "2").containsEntry("PW", "hunter2")
                .containsEntry("APP", "x").containsEntry("IP", "10.1.1.1").containsEntry("MEM", "4096")
                .containsEntry("REF", "1-$(MISSING)-$(CFG_a)")
                .containsEntry("MY_DB_SERVICE_HOST", "10.0.0.5").containsEntry("MY_DB_SERVICE_PORT", "5432")
                .containsEntry("MY_DB_PORT_5432_TCP_ADDR", "10.0.0.5").doesNotContainKey("OPT");
    }

    @Test
    void serviceLinksCanBeTurnedOff() {
        var c = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("c").build();
        assertThat(resolver.resolve(pod(c, false), c, "", "")).doesNotContainKey("MY_DB_SERVICE_HOST");
    }

    @Test
    void aMissingKeyOrObjectIsAConfigError() {
        var c = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("c")
                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("zzz", "cfg", false).endValueFrom().endEnv().build();
        assertThatThrownBy(() -> resolver.resolve(pod(c, null), c, "", "")).isInstanceOf(ContainerConfigException.class)
                .hasMessage("couldn't find key zzz in ConfigMap ns/cfg");
        var d = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("c")
                .addNewEnv().withName("X").withNewValueFrom().withNewSecretKeyRef("pw", "nosecret", false).endValueFrom().endEnv().build();
        assertThatThrownBy(() -> resolver.resolve(pod(d, null), d, "", "")).hasMessage("secret \"nosecret\" not found");
    }
}

package io.kube4j.kubelet.runtimeclass;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.kubelet.env.ObjectSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuntimeHandlersTest {
    private final Map<String, RuntimeClass> classes = Map.of(
            "gvisor", new RuntimeClassBuilder().withNewMetadata().withName("gvisor").endMetadata().withHandler("runsc").build());

    private final ObjectSource objects = new ObjectSource() {
        @Override
        public ConfigMap configMap(String namespace, String name) {
            return null;
        }

        @Override
        public Secret secret(String namespace, String name) {
            return null;
        }

        @Override
        public List<Service> services(String namespace) {
            return List.of();
        }

        @Override
        public RuntimeClass runtimeClass(String name) {
            if (name.equals("forbidden")) {
                throw new KubernetesClientException("runtimeclasses.node.k8s.io \"forbidden\" is forbidden", 403, null);
            }
            return classes.get(name);
        }
    };

    private final RuntimeHandlers handlers = new RuntimeHandlers(objects);

    @Test
    void noClassIsTheRuntimesDefaultHandler() throws Exception {
        assertThat(handlers.lookup(null)).isEmpty();
        assertThat(handlers.lookup("")).isEmpty();
    }

    @Test
    void aClassIsItsHandler() throws Exception {
        assertThat(handlers.lookup("gvisor")).isEqualTo("runsc");
    }

    @Test
    void aMissingOrUnreadableClassIsUpstreamsError() {
        assertThatThrownBy(() -> handlers.lookup("kata")).isInstanceOf(RuntimeHandlers.LookupException.class)
                .hasMessage("runtimeclass.node.k8s.io \"kata\" not found");
        assertThatThrownBy(() -> handlers.lookup("forbidden")).isInstanceOf(RuntimeHandlers.LookupException.class)
                .hasMessageStartingWith("failed to lookup RuntimeClass forbidden: ")
                .hasMessageContaining("is forbidden");
    }
}

package io.kube4j.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's clients map the kinds a worker reads, and nothing else, and otherwise behave as fabric8's default. */
class WorkerSerializationTest {
    private final KubernetesSerialization worker = WorkerSerialization.create();

    @Test
    void watchEventsOfTheWorkersKindsAreReadAsTheirClasses() {
        WatchEvent pod = worker.unmarshal("{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
                + "\"metadata\":{\"name\":\"p\",\"namespace\":\"default\"},\"spec\":{\"nodeName\":\"n1\"}}}", WatchEvent.class);
        assertThat(pod.getObject()).isInstanceOf(Pod.class);
        assertThat(((Pod) pod.getObject()).getSpec().getNodeName()).isEqualTo("n1");
        WatchEvent slice = worker.unmarshal("{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":\"discovery.k8s.io/v1\","
                + "\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":\"s\"},\"addressType\":\"IPv4\"}}", WatchEvent.class);
        assertThat(slice.getObject()).isInstanceOf(EndpointSlice.class);
        // the kubelet's RuntimeClass informer
        WatchEvent runtimeClass = worker.unmarshal("{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"node.k8s.io/v1\","
                + "\"kind\":\"RuntimeClass\",\"metadata\":{\"name\":\"kata\"},\"handler\":\"kata\"}}", WatchEvent.class);
        assertThat(runtimeClass.getObject()).isInstanceOf(io.fabric8.kubernetes.api.model.node.v1.RuntimeClass.class);
    }

    @Test
    void kindsOutsideTheWorkersSetAreNotLookedUpInTheModelJars() {
        // fabric8's default finds every kind of the model jars' service files: that lookup is what the worker avoids
        assertThat(new KubernetesSerialization().getRegisteredKubernetesResource("apps/v1", "Deployment")).isNotNull();
        assertThat(worker.getRegisteredKubernetesResource("apps/v1", "Deployment")).isNull();
        assertThat(worker.getRegisteredKubernetesResource("v1", "Pod")).isEqualTo(Pod.class);
        // such an object is still read, generically (fabric8's watch converts it to the watched type)
        WatchEvent event = worker.unmarshal("{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"apps/v1\","
                + "\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":2}}}", WatchEvent.class);
        assertThat(event.getObject()).isInstanceOf(GenericKubernetesResource.class);
        assertThat(((GenericKubernetesResource) event.getObject()).getMetadata().getName()).isEqualTo("d");
    }

    @Test
    void writesTheSameJsonAsFabric8sDefault() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").addToLabels("app", "a").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox")
                .withNewResources().addToLimits("memory", new Quantity("64Mi")).endResources()
                .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString("http")).endTcpSocket().endReadinessProbe()
                .endContainer().endSpec().build();
        String json = worker.asJson(pod);
        assertThat(json).isEqualTo(new KubernetesSerialization().asJson(pod));
        assertThat(worker.unmarshal(json, Pod.class)).isEqualTo(pod);
    }

    @Test
    void aKubeconfigReadsAsFabric8ReadsIt(@TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("bootstrap.kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: kube4j
                  cluster:
                    server: https://127.0.0.1:6443
                    insecure-skip-tls-verify: true
                users:
                - name: bootstrap
                  user:
                    token: abcdef.0123456789abcdef
                contexts:
                - name: default
                  context:
                    cluster: kube4j
                    user: bootstrap
                    namespace: kube-system
                current-context: default
                """);
        try (KubernetesClient narrow = ClusterClients.fromKubeconfig(kubeconfig, worker, ClusterClients.KUBELET);
             KubernetesClient usual = ClusterClients.fromKubeconfig(kubeconfig, ClusterClients.CLI)) {
            Config got = narrow.getConfiguration();
            Config want = usual.getConfiguration();
            assertThat(got.getMasterUrl()).isEqualTo(want.getMasterUrl()).isEqualTo("https://127.0.0.1:6443/");
            assertThat(got.getAutoOAuthToken()).isEqualTo(want.getAutoOAuthToken()).isEqualTo("abcdef.0123456789abcdef");
            assertThat(got.getNamespace()).isEqualTo(want.getNamespace()).isEqualTo("kube-system");
            assertThat(got.isTrustCerts()).isEqualTo(want.isTrustCerts()).isTrue();
            assertThat(got.getRequestTimeout()).isEqualTo(want.getRequestTimeout()).isZero();
            assertThat(narrow.getKubernetesSerialization()).isSameAs(worker);
            assertThat(got.getCurrentContext().getName()).isEqualTo(want.getCurrentContext().getName()).isEqualTo("default");
        }
    }
}

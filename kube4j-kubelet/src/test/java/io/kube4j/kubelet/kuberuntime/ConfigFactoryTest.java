package io.kube4j.kubelet.kuberuntime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.cri.v1.NamespaceMode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigFactoryTest {
    private final ConfigFactory factory = new ConfigFactory(Path.of("/var/log/pods"), List.of("10.43.0.10"), "cluster.local");

    private static Pod pod(boolean hostNetwork, String dnsPolicy) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("u1").addToLabels("app", "web").endMetadata()
                .withNewSpec().withHostNetwork(hostNetwork).withDnsPolicy(dnsPolicy)
                .addNewContainer().withName("app").withImage("busybox").addNewPort().withContainerPort(80).withHostPort(8080).endPort().endContainer()
                .endSpec().build();
    }

    @Test
    void sandboxCarriesUpstreamLabelsLogDirectoryPortsAndClusterDns() {
        var config = factory.sandbox(pod(false, null), 2, "/kubepods/besteffort/podu1");
        assertThat(config.getMetadata().getAttempt()).isEqualTo(2);
        assertThat(config.getLabelsMap()).containsEntry(Labels.POD_UID, "u1").containsEntry(Labels.POD_NAME, "web")
                .containsEntry(Labels.POD_NAMESPACE, "shop").containsEntry("app", "web");
        assertThat(config.getLogDirectory()).isEqualTo("/var/log/pods/shop_web_u1");
        assertThat(config.getLinux().getCgroupParent()).isEqualTo("/kubepods/besteffort/podu1");
        assertThat(config.getPortMappings(0).getHostPort()).isEqualTo(8080);
        assertThat(config.getDnsConfig().getServersList()).containsExactly("10.43.0.10");
        assertThat(config.getDnsConfig().getSearchesList()).containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local");
        assertThat(config.getLinux().getSecurityContext().getNamespaceOptions().getNetwork()).isEqualTo(NamespaceMode.POD);
    }

    @Test
    void hostNetworkPodsUseTheNodesResolverUnlessAskedOtherwise() {
        assertThat(factory.sandbox(pod(true, null), 0, null).hasDnsConfig()).isFalse();
        assertThat(factory.sandbox(pod(true, "ClusterFirstWithHostNet"), 0, null).getDnsConfig().getServersList()).containsExactly("10.43.0.10");
        assertThat(factory.sandbox(pod(true, null), 0, null).getLinux().getSecurityContext().getNamespaceOptions().getNetwork())
                .isEqualTo(NamespaceMode.NODE);
    }

    /** Upstream's NamespacesForPod: shareProcessNamespace is the pod's PID namespace for the sandbox and every container. */
    @Test
    void shareProcessNamespaceAsksForThePodsPidNamespaceForTheSandboxAndEachContainer() {
        Pod shared = new PodBuilder(pod(false, null)).editSpec().withShareProcessNamespace(true)
                .addNewContainer().withName("sidecar").withImage("busybox").endContainer().endSpec().build();
        assertThat(factory.sandbox(shared, 0, null).getLinux().getSecurityContext().getNamespaceOptions().getPid())
                .isEqualTo(NamespaceMode.POD);
        for (var c : shared.getSpec().getContainers()) {
            assertThat(factory.container(shared, c, 0, Map.of(), List.of()).getLinux().getSecurityContext().getNamespaceOptions()
                    .getPid()).as(c.getName()).isEqualTo(NamespaceMode.POD);
        }
        Pod own = pod(false, null);
        assertThat(factory.sandbox(own, 0, null).getLinux().getSecurityContext().getNamespaceOptions().getPid())
                .isEqualTo(NamespaceMode.CONTAINER);
        assertThat(factory.container(own, own.getSpec().getContainers().get(0), 0, Map.of(), List.of()).getLinux()
                .getSecurityContext().getNamespaceOptions().getPid()).isEqualTo(NamespaceMode.CONTAINER);
        Pod host = new PodBuilder(shared).editSpec().withHostPID(true).endSpec().build();
        assertThat(factory.sandbox(host, 0, null).getLinux().getSecurityContext().getNamespaceOptions().getPid())
                .as("hostPID wins").isEqualTo(NamespaceMode.NODE);
    }

    @Test
    void containerConfigNamesItsLogByRestartCountAndExpandsArguments() {
        Pod pod = pod(false, null);
        var c = new io.fabric8.kubernetes.api.model.ContainerBuilder(pod.getSpec().getContainers().get(0))
                .withCommand("echo").withArgs("$(NAME)").build();
        var config = factory.container(pod, c, 3, Map.of("NAME", "world"), List.of());
        assertThat(config.getLogPath()).isEqualTo("app/3.log");
        assertThat(config.getArgsList()).containsExactly("world");
        assertThat(config.getAnnotationsMap()).containsEntry(Labels.RESTART_COUNT, "3").containsEntry(Labels.CONTAINER_HASH, ConfigFactory.hash(c));
        assertThat(config.getLabelsMap()).containsEntry(Labels.CONTAINER_NAME, "app");
    }
}

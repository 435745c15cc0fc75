package io.kube4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.cri.v1.Mount;
import io.kube4j.kubelet.kuberuntime.PodHostname;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ManagedEtcHostsTest {
    @TempDir
    Path podDir;

    private static final String HEADER = """
            # Kubernetes-managed hosts file.
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            fe00::0\tip6-mcastprefix
            fe00::1\tip6-allnodes
            fe00::2\tip6-allrouters
            """;

    private static Pod pod(String subdomain, List<HostAlias> aliases, Container container) {
        return new PodBuilder().withNewMetadata().withName("web-0").withNamespace("default").withUid("u1").endMetadata()
                .withNewSpec().withHostname("web-0").withSubdomain(subdomain).withHostAliases(aliases)
                .withContainers(container).endSpec().build();
    }

    private static Container container() {
        return new ContainerBuilder().withName("c").withImage("busybox").build();
    }

    @Test
    void aPodInASubdomainKnowsItsFullyQualifiedName() {
        Pod pod = pod("nginx", List.of(), container());

        String hosts = ManagedEtcHosts.content(List.of("10.42.0.15"), PodHostname.of(pod, "cluster.local"), List.of());

        assertThat(hosts).isEqualTo(HEADER + "10.42.0.15\tweb-0.nginx.default.svc.cluster.local\tweb-0\n");
    }

    @Test
    void aPodWithoutSubdomainHasItsHostNameAndItsAliases() {
        List<HostAlias> aliases = List.of(new HostAlias(List.of("foo.local", "bar.local"), "127.0.0.1"));
        Pod pod = pod(null, aliases, container());

        String hosts = ManagedEtcHosts.content(List.of("10.42.0.2"), PodHostname.of(pod, "cluster.local"), aliases);

        assertThat(hosts).isEqualTo(HEADER + "10.42.0.2\tweb-0\n"
                + "\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n");
    }

    @Test
    void aPodOnTheHostNetworkGetsTheNodesFile() {
        assertThat(ManagedEtcHosts.hostNetworkContent("127.0.0.1\tlocalhost\n", List.of()))
                .isEqualTo("# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n");
    }

    @Test
    void eachContainerMountsTheFileOnceThePodHasAnIp() throws Exception {
        Pod pod = pod("nginx", List.of(), container());
        PodHostname name = PodHostname.of(pod, "cluster.local");

        assertThat(ManagedEtcHosts.mount(podDir, pod, container(), "", name)).isEmpty();
        Mount mount = ManagedEtcHosts.mount(podDir, pod, container(), "10.42.0.15", name).orElseThrow();

        assertThat(mount.getContainerPath()).isEqualTo("/etc/hosts");
        assertThat(Files.readString(Path.of(mount.getHostPath()))).endsWith("web-0.nginx.default.svc.cluster.local\tweb-0\n");
    }

    @Test
    void aPodOnTheHostNetworkMountsTheNodesFileWithoutAnIpOfItsOwn() throws Exception {
        Pod pod = new PodBuilder(pod(null, List.of(), container())).editSpec().withHostNetwork(true).endSpec().build();

        Mount mount = ManagedEtcHosts.mount(podDir, pod, container(), "", PodHostname.of(pod, "cluster.local"))
                .orElseThrow();

        assertThat(Files.readString(Path.of(mount.getHostPath())))
                .startsWith("# Kubernetes-managed hosts file (host network).\n");
    }

    @Test
    void aContainerMountingItsOwnHostsFileKeepsIt() {
        Container own = new ContainerBuilder(container()).addNewVolumeMount().withName("v").withMountPath("/etc/hosts")
                .endVolumeMount().build();
        Pod pod = pod(null, List.of(), own);

        assertThat(ManagedEtcHosts.mount(podDir, pod, own, "10.42.0.2", PodHostname.of(pod, "cluster.local"))).isEmpty();
    }
}

package io.kube4j.kubelet.kuberuntime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.cri.v1.Image;
import io.kube4j.cri.v1.Int64Value;
import io.kube4j.cri.v1.LinuxContainerSecurityContext;
import io.kube4j.cri.v1.NamespaceMode;
import io.kube4j.cri.v1.SecurityProfile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the kubelet asks the runtime for, from a pod's and a container's securityContext (upstream's mapping). */
class SecurityContextsTest {
    private final ConfigFactory factory = new ConfigFactory(Path.of("/var/log/pods"), List.of(), "cluster.local",
            Path.of("/var/lib/kube4j/seccomp"));

    private LinuxContainerSecurityContext containerContext(Pod pod) {
        return factory.container(pod, pod.getSpec().getContainers().get(0), 0, Map.of(), List.of()).getLinux().getSecurityContext();
    }

    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata();
    }

    @Test
    void theContainersSettingsWinOverThePodsAndThePodAddsItsGroups() {
        Pod pod = pod().withNewSpec()
                .withNewSecurityContext().withRunAsUser(1000L).withRunAsGroup(3000L).withFsGroup(2000L)
                .withSupplementalGroups(4000L, 5000L).endSecurityContext()
                .addNewContainer().withName("app").withImage("busybox")
                .withNewSecurityContext().withRunAsUser(1001L).withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withAdd("NET_ADMIN", "SYS_PTRACE").withDrop("ALL").endCapabilities()
                .endSecurityContext().endContainer()
                .endSpec().build();
        LinuxContainerSecurityContext sc = containerContext(pod);
        assertThat(sc.getRunAsUser().getValue()).isEqualTo(1001);
        assertThat(sc.getRunAsGroup().getValue()).as("from the pod").isEqualTo(3000);
        assertThat(sc.getSupplementalGroupsList()).containsExactly(2000L, 4000L, 5000L);
        assertThat(sc.getReadonlyRootfs()).isTrue();
        assertThat(sc.getNoNewPrivs()).isTrue();
        assertThat(sc.getPrivileged()).isFalse();
        assertThat(sc.getCapabilities().getAddCapabilitiesList()).containsExactly("NET_ADMIN", "SYS_PTRACE");
        assertThat(sc.getCapabilities().getDropCapabilitiesList()).containsExactly("ALL");
        assertThat(sc.getMaskedPathsList()).contains("/proc/kcore", "/sys/firmware", "/sys/devices/virtual/powercap");
        assertThat(sc.getReadonlyPathsList()).contains("/proc/sys", "/proc/sysrq-trigger");
        assertThat(sc.getNamespaceOptions().getPid()).isEqualTo(NamespaceMode.CONTAINER);
        assertThat(sc.getSeccomp().getProfileType()).isEqualTo(SecurityProfile.ProfileType.Unconfined);
    }

    @Test
    void aContainerWithoutSettingsRunsAsTheImageSaysWithDefaultMasksAndNoNewPrivsUnset() {
        Pod pod = pod().withNewSpec().withHostPID(true)
                .addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build();
        LinuxContainerSecurityContext sc = containerContext(pod);
        assertThat(sc.hasRunAsUser()).as("the runtime reads the image's user").isFalse();
        assertThat(sc.hasRunAsGroup()).isFalse();
        assertThat(sc.hasCapabilities()).isFalse();
        assertThat(sc.getNoNewPrivs()).as("only an explicit allowPrivilegeEscalation: false sets it").isFalse();
        assertThat(sc.getMaskedPathsList()).isEqualTo(SecurityContexts.MASKED_PATHS);
        assertThat(sc.getReadonlyPathsList()).isEqualTo(SecurityContexts.READONLY_PATHS);
        assertThat(sc.getNamespaceOptions().getPid()).isEqualTo(NamespaceMode.NODE);
    }

    @Test
    void podLevelUserAndSeccompApplyWhenTheContainerSaysNothing() {
        Pod pod = pod().withNewSpec()
                .withNewSecurityContext().withRunAsUser(1000L).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build();
        LinuxContainerSecurityContext sc = containerContext(pod);
        assertThat(sc.getRunAsUser().getValue()).isEqualTo(1000);
        assertThat(sc.getSeccomp().getProfileType()).isEqualTo(SecurityProfile.ProfileType.RuntimeDefault);

        Pod localhost = pod().withNewSpec().addNewContainer().withName("app").withImage("busybox")
                .withNewSecurityContext().withNewSeccompProfile().withType("Localhost").withLocalhostProfile("profiles/audit.json")
                .endSeccompProfile().endSecurityContext().endContainer().endSpec().build();
        assertThat(containerContext(localhost).getSeccomp().getLocalhostRef()).isEqualTo("/var/lib/kube4j/seccomp/profiles/audit.json");
    }

    @Test
    void unmaskedProcMountAsksForNoMaskedPaths() {
        Pod pod = pod().withNewSpec().withHostUsers(false).addNewContainer().withName("app").withImage("busybox")
                .withNewSecurityContext().withProcMount("Unmasked").endSecurityContext().endContainer().endSpec().build();
        LinuxContainerSecurityContext sc = containerContext(pod);
        assertThat(sc.getMaskedPathsList()).isEmpty();
        assertThat(sc.getReadonlyPathsList()).isEmpty();
    }

    @Test
    void runAsNonRootRefusesRootAsUpstreamsKubeletDoes() {
        Pod pod = pod().withNewSpec().withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext()
                .addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build();
        var c = pod.getSpec().getContainers().get(0);
        Image noUser = Image.newBuilder().setId("sha256:1").build();
        assertThat(SecurityContexts.runAsNonRootViolation(pod, c, () -> noUser))
                .isEqualTo("container has runAsNonRoot and image will run as root (pod: \"p_ns(u)\", container: app)");
        assertThat(SecurityContexts.runAsNonRootViolation(pod, c, () -> noUser.toBuilder().setUid(Int64Value.newBuilder().setValue(1000)).build()))
                .isNull();
        assertThat(SecurityContexts.runAsNonRootViolation(pod, c, () -> noUser.toBuilder().setUsername("app").build()))
                .startsWith("container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root");

        Pod root = pod().withNewSpec().withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext()
                .addNewContainer().withName("app").withImage("busybox").withNewSecurityContext().withRunAsUser(0L).endSecurityContext()
                .endContainer().endSpec().build();
        assertThat(SecurityContexts.runAsNonRootViolation(root, root.getSpec().getContainers().get(0), () -> {
            throw new AssertionError("a runAsUser decides without the image");
        })).startsWith("container's runAsUser breaks non-root policy");

        Pod allowed = pod().withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build();
        assertThat(SecurityContexts.runAsNonRootViolation(allowed, allowed.getSpec().getContainers().get(0), () -> noUser)).isNull();
    }

    @Test
    void aPrivilegedContainerMakesAPrivilegedSandbox() {
        Pod plain = pod().withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build();
        Pod privileged = pod().withNewSpec().withNewSecurityContext().withRunAsUser(7L).withFsGroup(8L).endSecurityContext()
                .addNewInitContainer().withName("setup").withImage("busybox")
                .withNewSecurityContext().withPrivileged(true).endSecurityContext().endInitContainer()
                .addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build();
        assertThat(factory.sandbox(plain, 0, null).getLinux().getSecurityContext().getPrivileged()).isFalse();
        var sandbox = factory.sandbox(privileged, 0, null).getLinux().getSecurityContext();
        assertThat(sandbox.getPrivileged()).isTrue();
        assertThat(sandbox.getRunAsUser().getValue()).isEqualTo(7);
        assertThat(sandbox.getSupplementalGroupsList()).containsExactly(8L);
        var setup = factory.container(privileged, privileged.getSpec().getInitContainers().get(0), 0, Map.of(), List.of())
                .getLinux().getSecurityContext();
        assertThat(setup.getPrivileged()).isTrue();
    }
}

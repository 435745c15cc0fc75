package io.kube4j.runtime.oci;

import io.kube4j.cri.v1.Capability;
import io.kube4j.cri.v1.ContainerConfig;
import io.kube4j.cri.v1.ContainerMetadata;
import io.kube4j.cri.v1.Int64Value;
import io.kube4j.cri.v1.LinuxContainerConfig;
import io.kube4j.cri.v1.LinuxContainerSecurityContext;
import io.kube4j.cri.v1.NamespaceMode;
import io.kube4j.cri.v1.NamespaceOption;
import io.kube4j.cri.v1.PodSandboxConfig;
import io.kube4j.cri.v1.SupplementalGroupsPolicy;
import io.kube4j.runtime.image.ImageConfig;
import io.kube4j.runtime.sandbox.Sandbox;
import io.kube4j.runtime.sandbox.SandboxRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The process user, capabilities and hardening of config.json from the CRI security context, as containerd makes them. */
class OciSpecBuilderSecurityTest {
    @TempDir
    Path dir;

    private ObjectNode spec(LinuxContainerSecurityContext.Builder security) throws IOException {
        return spec(security, null);
    }

    /** @param pidns the sandbox's shared PID namespace, or null: it has none */
    private ObjectNode spec(LinuxContainerSecurityContext.Builder security, Path pidns) throws IOException {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("group"), "root:x:0:\napp:x:1000:\nvideo:x:44:app\n");
        ContainerConfig config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("app"))
                .addCommand("sh")
                .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(security))
                .build();
        Sandbox sandbox = new Sandbox(new SandboxRecord("sb", 0, true, "", false, false, "/pods/sb", false, List.of()),
                PodSandboxConfig.getDefaultInstance(), dir.resolve("sandbox"), null, null, dir.resolve("ipc"), pidns);
        ImageConfig image = new ImageConfig(List.of(), List.of("sh"), List.of(), "", "", "", List.of());
        return new OciSpecBuilder(config, sandbox, image, dir.resolve("rootfs"), "/pods/sb/c", id -> 1L).build();
    }

    private static JsonNode pidNamespace(ObjectNode spec) {
        for (JsonNode ns : spec.path("linux").path("namespaces")) {
            if (ns.path("type").asString().equals("pid")) {
                return ns;
            }
        }
        return null;
    }

    /** As containerd: POD joins the sandbox's PID namespace, CONTAINER gets a new one, NODE stays in the node's. */
    @Test
    void aContainerOfAPodSharingItsPidNamespaceJoinsTheSandboxsOne() throws IOException {
        Path pidns = dir.resolve("ns/sb-pid");
        JsonNode shared = pidNamespace(spec(LinuxContainerSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.POD)), pidns));
        assertThat(shared).isNotNull();
        assertThat(shared.path("path").asString()).isEqualTo(pidns.toString());

        JsonNode own = pidNamespace(spec(LinuxContainerSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER)), pidns));
        assertThat(own).as("a new PID namespace").isNotNull();
        assertThat(own.has("path")).isFalse();
        assertThat(pidNamespace(spec(LinuxContainerSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.NODE)), null))).isNull();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    @Test
    void noCapabilitiesAskedForGiveTheDefaultSetInBoundingEffectiveAndPermitted() throws IOException {
        JsonNode caps = spec(LinuxContainerSecurityContext.newBuilder()).path("process").path("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            assertThat(strings(caps.path(set))).as(set).containsExactlyInAnyOrderElementsOf(OciSpecBuilder.DEFAULT_CAPABILITIES);
        }
    }

    @Test
    void dropAllThenAddKeepsTheAddedOneAsContainerdDoes() throws IOException {
        JsonNode process = spec(LinuxContainerSecurityContext.newBuilder().setRunAsUser(Int64Value.newBuilder().setValue(1000))
                .setCapabilities(Capability.newBuilder().addDropCapabilities("ALL").addAddCapabilities("NET_BIND_SERVICE")
                        .addAddCapabilities("sys_ptrace"))).path("process");
        for (String set : List.of("bounding", "effective", "permitted")) {
            assertThat(strings(process.path("capabilities").path(set))).as(set)
                    .containsExactlyInAnyOrder("CAP_NET_BIND_SERVICE", "CAP_SYS_PTRACE");
        }
        JsonNode noChown = spec(LinuxContainerSecurityContext.newBuilder()
                .setCapabilities(Capability.newBuilder().addDropCapabilities("CHOWN").addAddCapabilities("NET_ADMIN")))
                .path("process").path("capabilities");
        assertThat(strings(noChown.path("bounding"))).contains("CAP_NET_ADMIN", "CAP_KILL").doesNotContain("CAP_CHOWN");
    }

    @Test
    void privilegedGetsEveryCapabilityAndNoMaskedPaths() throws IOException {
        ObjectNode spec = spec(LinuxContainerSecurityContext.newBuilder().setPrivileged(true)
                .addMaskedPaths("/proc/kcore").addReadonlyPaths("/proc/sys")
                .setCapabilities(Capability.newBuilder().addDropCapabilities("ALL")));
        assertThat(strings(spec.path("process").path("capabilities").path("effective")))
                .contains("CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_NET_ADMIN", "CAP_AUDIT_READ");
        assertThat(spec.path("linux").has("maskedPaths")).isFalse();
        assertThat(spec.path("linux").has("readonlyPaths")).isFalse();
    }

    @Test
    void userGroupsReadOnlyRootAndNoNewPrivileges() throws IOException {
        ObjectNode spec = spec(LinuxContainerSecurityContext.newBuilder().setRunAsUser(Int64Value.newBuilder().setValue(1000))
                .addSupplementalGroups(2000).setReadonlyRootfs(true).setNoNewPrivs(true)
                .addMaskedPaths("/proc/kcore").addReadonlyPaths("/proc/sys"));
        JsonNode user = spec.path("process").path("user");
        assertThat(user.path("uid").asLong()).isEqualTo(1000);
        assertThat(user.path("gid").asLong()).as("the user's primary group from the image's /etc/passwd").isEqualTo(1000);
        assertThat(longs(user.path("additionalGids"))).containsExactly(44L, 2000L);
        assertThat(spec.path("process").path("noNewPrivileges").asBoolean()).isTrue();
        assertThat(spec.path("root").path("readonly").asBoolean()).isTrue();
        assertThat(strings(spec.path("linux").path("maskedPaths"))).containsExactly("/proc/kcore");
        assertThat(strings(spec.path("linux").path("readonlyPaths"))).containsExactly("/proc/sys");

        JsonNode strict = spec(LinuxContainerSecurityContext.newBuilder().setRunAsUser(Int64Value.newBuilder().setValue(1000))
                .setRunAsGroup(Int64Value.newBuilder().setValue(3000)).addSupplementalGroups(2000)
                .setSupplementalGroupsPolicy(SupplementalGroupsPolicy.Strict)).path("process").path("user");
        assertThat(strict.path("gid").asLong()).isEqualTo(3000);
        assertThat(longs(strict.path("additionalGids"))).as("not the image's groups").containsExactly(2000L);
    }

    @Test
    void aClientThatSendsNoPathsGetsTheDefaultMasks() throws IOException {
        ObjectNode spec = spec(LinuxContainerSecurityContext.newBuilder());
        assertThat(strings(spec.path("linux").path("maskedPaths"))).contains("/proc/kcore", "/sys/devices/virtual/powercap");
        assertThat(spec.path("process").path("noNewPrivileges").asBoolean()).isFalse();
        assertThat(spec.path("root").path("readonly").asBoolean()).isFalse();
        assertThat(spec.path("process").path("user").path("uid").asLong()).isZero();
    }
}

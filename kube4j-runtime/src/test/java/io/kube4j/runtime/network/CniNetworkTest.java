package io.kube4j.runtime.network;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A runtime started without a pod range reports its network not ready and attaches no pod until it gets one. */
class CniNetworkTest {
    @TempDir
    Path dir;

    private Path plugins() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("cni"));
        for (String plugin : List.of("bridge", "host-local", "portmap")) {
            Path file = plugins.resolve(plugin);
            // a plugin that would fail loudly if called: these tests must never reach it
            Files.writeString(file, "#!/bin/sh\nexit 99\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return plugins;
    }

    @Test
    void withoutAPodCidrTheNetworkIsNotReadyAndRefusesPods() throws IOException {
        CniNetwork network = new CniNetwork(plugins(), "k4jtest0", null, dir.resolve("ipam"), false);

        assertThat(network.notReadyReason()).contains("no pod CIDR yet");
        assertThatThrownBy(() -> network.add("sandbox-1", dir.resolve("netns"), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("network not ready");
        network.delete("sandbox-1", dir.resolve("netns"), List.of()); // nothing was attached: no plugin called
    }

    @Test
    void thePodCidrFromTheKubeletMakesItReady() throws IOException {
        CniNetwork network = new CniNetwork(plugins(), "k4jtest0", null, dir.resolve("ipam"), false);

        network.setPodCidr("10.42.3.0/24");

        assertThat(network.notReadyReason()).isNull();
        assertThat(network.podCidr()).isEqualTo("10.42.3.0/24");
        network.setPodCidr("");
        assertThat(network.podCidr()).as("an empty update keeps the range").isEqualTo("10.42.3.0/24");
    }

    @Test
    void aMissingPluginIsStillReported() throws IOException {
        Path plugins = plugins();
        Files.delete(plugins.resolve("portmap"));
        CniNetwork network = new CniNetwork(plugins, "k4jtest0", "10.42.3.0/24", dir.resolve("ipam"), false);

        assertThat(network.notReadyReason()).contains("portmap").contains("missing");
    }
}

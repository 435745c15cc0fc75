package io.kube4j.runtime;

import java.nio.file.Path;

/**
 * How a runtime is set up.
 *
 * @param root           state directory (images, layers, sandboxes, containers)
 * @param socket         the CRI unix socket
 * @param importDir      every *.tar OCI archive here is imported at start (default ROOT/../images)
 * @param namespaceDir   where pod namespaces are bind-mounted (a private mount)
 * @param podCidr        pod addresses until the kubelet sends the node's podCIDR
 * @param bridge         the Linux bridge pods attach to
 * @param ipMasq         masquerade traffic leaving the pod network
 * @param registriesConfig registry mirrors and credentials (k3s registries.yaml format; default ROOT/../registries.yaml)
 */
public record RuntimeOptions(Path root, Path socket, Path importDir, Path namespaceDir, Path cniPluginDir,
                             String podCidr, String bridge, boolean ipMasq, String runc, String conmon,
                             Path registriesConfig) {

    public static RuntimeOptions defaults(Path root, Path socket) {
        Path absolute = root.toAbsolutePath();
        Path parent = absolute.getParent() == null ? absolute : absolute.getParent();
        return new RuntimeOptions(absolute, socket.toAbsolutePath(), parent.resolve("images"), Path.of("/run/kube4j/ns"),
                Path.of("/usr/lib/cni"), "10.42.0.0/24", "kube4j0", true, "/usr/sbin/runc", "/usr/bin/conmon",
                parent.resolve("registries.yaml"));
    }

    public RuntimeOptions withImportDir(Path dir) {
        return new RuntimeOptions(root, socket, dir, namespaceDir, cniPluginDir, podCidr, bridge, ipMasq, runc, conmon, registriesConfig);
    }

    public RuntimeOptions withNetwork(String cidr, String bridgeName, boolean masquerade) {
        return new RuntimeOptions(root, socket, importDir, namespaceDir, cniPluginDir, cidr, bridgeName, masquerade, runc, conmon, registriesConfig);
    }

    /** The streaming server (exec, port-forward) listens on loopback, on a free port, as containerd's does. */
    public java.net.InetSocketAddress streamingAddress() {
        return new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    public RuntimeOptions withRegistriesConfig(Path file) {
        return new RuntimeOptions(root, socket, importDir, namespaceDir, cniPluginDir, podCidr, bridge, ipMasq, runc, conmon, file);
    }
}

package io.kube4j.cli;

import io.kube4j.host.cgroup.CgroupLayout;
import io.kube4j.runtime.RuntimeOptions;
import io.kube4j.runtime.RuntimeServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code kube4j runtime}: the CRI runtime alone, serving the image and runtime services on a unix socket, for a
 * kubelet (kube4j's or any other) to drive - the part {@code kube4j server} and {@code kube4j agent} start inside.
 */
@Command(name = "runtime", description = "Run the container runtime (CRI over a unix socket, containers on runc).",
        mixinStandardHelpOptions = true)
final class RuntimeCommand implements Callable<Integer> {

    @Option(names = "--root", defaultValue = "/var/lib/kube4j/runtime", paramLabel = "DIR",
            description = "where images, sandboxes and containers are kept (default: ${DEFAULT-VALUE})")
    Path root;

    @Option(names = "--socket", defaultValue = "/run/kube4j/runtime.sock", paramLabel = "PATH",
            description = "the CRI unix socket (default: ${DEFAULT-VALUE})")
    Path socket;

    @Option(names = "--images", paramLabel = "DIR",
            description = "OCI archives imported at start and whenever one appears (default: ROOT/../images)")
    Path images;

    @Option(names = "--pod-cidr", paramLabel = "CIDR", description = "pod addresses of this node (default: 10.42.0.0/24)")
    String podCidr;

    @Option(names = "--bridge", defaultValue = "kube4j0", description = "the CNI bridge (default: ${DEFAULT-VALUE})")
    String bridge;

    @Override
    public Integer call() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("the runtime creates namespaces, cgroups and mounts: run it as root");
        }
        CgroupLayout.ofThisHost().require(); // its cgroups are v1 only
        RuntimeOptions options = RuntimeOptions.defaults(root, socket);
        if (images != null) {
            options = options.withImportDir(images);
        }
        options = options.withNetwork(podCidr == null ? options.podCidr() : podCidr, bridge, options.ipMasq());
        RuntimeOptions chosen = options;
        new Components().runUntilStopped(components -> {
            components.add(RuntimeServer.start(chosen));
            System.err.println("kube4j runtime: serving CRI on unix://" + socket.toAbsolutePath());
        });
        return 0;
    }
}

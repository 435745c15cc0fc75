package io.kube4j.cli;

import io.grpc.ManagedChannel;
import io.kube4j.cri.v1.ListPodSandboxRequest;
import io.kube4j.cri.v1.PodSandbox;
import io.kube4j.cri.v1.RemovePodSandboxRequest;
import io.kube4j.cri.v1.RuntimeServiceGrpc;
import io.kube4j.cri.v1.StopPodSandboxRequest;
import io.kube4j.host.MountInfo;
import io.kube4j.host.cgroup.Cgroups;
import io.kube4j.proxy.ProxyOptions;
import io.kube4j.proxy.nft.NftException;
import io.kube4j.proxy.nft.NftExecutor;
import io.kube4j.proxy.routes.KernelRoutes;
import io.kube4j.proxy.routes.PodNetworkOptions;
import io.kube4j.runtime.RuntimeOptions;
import io.kube4j.runtime.RuntimeServer;
import io.kube4j.runtime.unix.Mounts;
import io.kube4j.runtime.util.Commands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code kube4j killall}: what k3s-killall.sh is to k3s. A stopped node leaves its pods running, as a stopped kubelet
 * does upstream (a restart must not kill workloads); this stops them for good and removes what the node made on the
 * host - the pods through the node's own runtime (the same CRI StopPodSandbox and RemovePodSandbox a kubelet sends,
 * which end the containers and release the pods' namespaces, veths and addresses), then the pod cgroups, the mounts
 * left under the data directory, the CNI bridge, the proxy's and pod network's nftables tables and the routes to
 * other nodes' pods - so that the data directory can be deleted and the host is as before the first start.
 */
@Command(name = "killall", mixinStandardHelpOptions = true,
        description = "Stop the pods a stopped kube4j node left running and remove its mounts, network and cgroups "
                + "(as k3s-killall.sh); then DIR can be deleted.")
final class KillallCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "/var/lib/kube4j", paramLabel = "DIR",
            description = "the node's data directory (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--cgroup-root", paramLabel = "PATH", defaultValue = "/",
            description = "the node's --cgroup-root (default: ${DEFAULT-VALUE})")
    String cgroupRoot;

    @Option(names = "--bridge", defaultValue = "kube4j0", description = "the node's CNI bridge (default: ${DEFAULT-VALUE})")
    String bridge;

    @Override
    public Integer call() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("stopping containers and removing mounts, cgroups and links needs root");
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--data-dir " + dir + ": no such directory");
        }
        Path socket = dir.resolve("run").resolve("runtime.sock");
        if (answers(socket)) {
            throw new IllegalStateException("a kube4j node is running on " + dir + " (its runtime answers on " + socket
                    + "): stop it first");
        }
        stopPods(dir, socket);
        removeCgroups(Cgroups.ofThisHost(), WorkerOptions.kubepodsCgroup(cgroupRoot));
        unmountUnder(dir);
        removeBridge();
        removeNodeNetworkRules();
        System.err.println("kube4j killall: done; " + dir + " can be deleted");
        return 0;
    }

    /** True when something accepts connections on the unix socket: the runtime of a node that is still running. */
    static boolean answers(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false; // a socket file left by a node that was killed
        }
    }

    /** Every pod sandbox the node's runtime has on disk, stopped and removed through the runtime itself. */
    private static void stopPods(Path dir, Path socket) throws IOException {
        Path runtimeRoot = dir.resolve("runtime");
        if (!Files.isDirectory(runtimeRoot)) {
            System.err.println("kube4j killall: no kube4j runtime state in " + dir + " (a node on another runtime "
                    + "leaves its pods to that runtime)");
            return;
        }
        System.err.println("kube4j killall: opening the runtime in " + runtimeRoot);
        // the node's own options (CniNetwork releases addresses from the node's IPAM store; the range is not needed
        // to release them), and no image import: nothing is started
        RuntimeOptions options = RuntimeOptions.defaults(runtimeRoot, socket).withImportDir(runtimeRoot.resolve("none"));
        try (RuntimeServer runtime = RuntimeServer.start(options.withNetwork(null, options.bridge(), false))) {
            ManagedChannel channel = runtime.inProcessChannel();
            try {
                RuntimeServiceGrpc.RuntimeServiceBlockingStub cri = RuntimeServiceGrpc.newBlockingStub(channel);
                List<PodSandbox> pods = cri.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList();
                System.err.println("kube4j killall: " + pods.size() + " pod" + (pods.size() == 1 ? "" : "s") + " left");
                for (PodSandbox pod : pods) {
                    System.err.println("kube4j killall: stopping pod " + pod.getMetadata().getNamespace() + "/"
                            + pod.getMetadata().getName() + " (sandbox " + pod.getId().substring(0, Math.min(12, pod.getId().length())) + ")");
                    cri.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(pod.getId()).build());
                    cri.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(pod.getId()).build());
                }
            } finally {
                channel.shutdownNow();
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping pods", e);
        }
    }

    /**
     * The kubelet's pod cgroups. A process still in one belongs to a pod the runtime no longer knows (its state
     * deleted by hand, say) and is killed first, as k3s-killall.sh kills what is left in kubepods; the tree is the
     * node's own ({@code --cgroup-root} gives each node of a shared host its own).
     */
    static void removeCgroups(Cgroups cgroups, String kubepods) {
        if (!cgroups.exists(kubepods)) {
            return;
        }
        List<ProcessHandle> left = cgroups.processesUnder(kubepods).stream()
                .flatMap(pid -> ProcessHandle.of(pid).stream()).toList();
        if (!left.isEmpty()) {
            System.err.println("kube4j killall: killing " + left.size() + " process(es) left in " + kubepods);
            left.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle process : left) {
                try {
                    process.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("kube4j killall: process " + process.pid() + " did not end: " + e.getMessage());
                }
            }
        }
        System.err.println("kube4j killall: removing the pod cgroups under " + kubepods);
        cgroups.remove(kubepods);
    }

    /** Volumes and root filesystems still mounted under the data directory, deepest first. */
    private static void unmountUnder(Path dir) throws IOException {
        List<Path> mounts = new ArrayList<>();
        for (MountInfo.Mount mount : MountInfo.ofThisProcess().mounts()) {
            if (mount.mountPoint().startsWith(dir) && !mount.mountPoint().equals(dir)) {
                mounts.add(mount.mountPoint());
            }
        }
        mounts.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        if (!mounts.isEmpty()) {
            System.err.println("kube4j killall: unmounting " + mounts.size() + " mount" + (mounts.size() == 1 ? "" : "s")
                    + " under " + dir);
        }
        for (Path mount : mounts) {
            Mounts.unmount(mount);
        }
    }

    /** The CNI bridge, once no pod's veth is on it any more (the runtime took those away with the pods). */
    private void removeBridge() {
        if (!Files.exists(Path.of("/sys/class/net", bridge))) {
            return;
        }
        String[] ports = new java.io.File("/sys/class/net/" + bridge + "/brif").list();
        if (ports != null && ports.length > 0) {
            System.err.println("kube4j killall: keeping bridge " + bridge + ": " + ports.length
                    + " other interface(s) still on it");
            return;
        }
        System.err.println("kube4j killall: removing bridge " + bridge);
        Commands.check(List.of("ip", "link", "del", bridge));
    }

    /** The service proxy's and the pod network's nftables tables, and the routes to other nodes' pod CIDRs. */
    private static void removeNodeNetworkRules() throws NftException, KernelRoutes.RouteException {
        NftExecutor nft = new NftExecutor(List.of("nft"));
        for (String table : List.of(ProxyOptions.defaults("").tableName(),
                PodNetworkOptions.defaults("", "10.42.0.0/16").tableName())) {
            nft.deleteTable(table);
        }
        KernelRoutes routes = new KernelRoutes(List.of("ip"));
        for (String destination : routes.list().keySet()) {
            routes.delete(destination);
        }
        System.err.println("kube4j killall: removed the nftables tables and pod routes");
    }
}

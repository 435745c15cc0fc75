package io.kube4j.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace for one agent node, joined to the host by a veth pair on a private /30: the host end
 * ({@link #hostIp}) is where the agent reaches the server, the namespace end (named eth0, so that the kubelet takes
 * it as the node's InternalIP) is the node's address. Two worker nodes cannot share one host network stack (the CNI
 * bridge, the nftables table and the pod routes are per stack), so the test gives the agent its own.
 */
final class AgentNetns implements AutoCloseable {
    final String name;
    final String hostIp;
    final String nodeIp;
    private final String hostLink;

    private AgentNetns(String name, String hostLink, String hostIp, String nodeIp) {
        this.name = name;
        this.hostLink = hostLink;
        this.hostIp = hostIp;
        this.nodeIp = nodeIp;
    }

    static AgentNetns create() {
        int id = ThreadLocalRandom.current().nextInt(1, 250);
        int block = ThreadLocalRandom.current().nextInt(0, 63) * 4;
        String ns = "k4jagent" + id;
        String hostLink = "k4jah" + id;
        String hostIp = "172.30." + id + "." + (block + 1);
        String nodeIp = "172.30." + id + "." + (block + 2);
        AgentNetns netns = new AgentNetns(ns, hostLink, hostIp, nodeIp);
        run("ip", "netns", "add", ns);
        run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", "eth0", "netns", ns);
        run("ip", "addr", "add", hostIp + "/30", "dev", hostLink);
        run("ip", "link", "set", hostLink, "up");
        run("ip", "netns", "exec", ns, "ip", "addr", "add", nodeIp + "/30", "dev", "eth0");
        run("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
        run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        run("ip", "netns", "exec", ns, "ip", "route", "add", "default", "via", hostIp);
        return netns;
    }

    /**
     * A namespace on a shared bridge (one L2 segment, as the nodes of a real cluster): its eth0 gets {@code ip} in
     * the bridge's /24, its default route goes to the bridge's address ({@code gatewayIp}, the host), and each of
     * {@code onLink} (the host's own node address, which is not in that /24) is made reachable on the link, so that
     * host-gw routes {@code <podCIDR> via <node IP>} to it are valid.
     */
    static AgentNetns onBridge(String bridge, String name, String hostLink, String ip, String gatewayIp,
                               List<String> onLink) {
        AgentNetns netns = new AgentNetns(name, hostLink, gatewayIp, ip);
        run("ip", "netns", "add", name);
        try {
            run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", "eth0", "netns", name);
            run("ip", "link", "set", hostLink, "master", bridge);
            run("ip", "link", "set", hostLink, "up");
            run("ip", "netns", "exec", name, "ip", "addr", "add", ip + "/24", "dev", "eth0");
            run("ip", "netns", "exec", name, "ip", "link", "set", "eth0", "up");
            run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
            for (String address : onLink) {
                run("ip", "netns", "exec", name, "ip", "route", "add", address + "/32", "dev", "eth0");
            }
            run("ip", "netns", "exec", name, "ip", "route", "add", "default", "via", gatewayIp);
            return netns;
        } catch (RuntimeException e) {
            netns.close();
            throw e;
        }
    }

    /**
     * {@code command} prefixed to run inside the namespace. nsenter, not {@code ip netns exec}: the latter also
     * remounts /sys in a new mount namespace, which hides the cgroup hierarchies under /sys/fs/cgroup from runc.
     */
    List<String> exec(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=/var/run/netns/" + name));
        cmd.addAll(command);
        return cmd;
    }

    @Override
    public void close() {
        // each step on its own: a half-created namespace is still cleaned up
        try {
            run("ip", "link", "del", hostLink);
        } catch (IllegalStateException e) {
            // already gone with the namespace, or never created
        }
        run("ip", "netns", "del", name);
    }

    static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

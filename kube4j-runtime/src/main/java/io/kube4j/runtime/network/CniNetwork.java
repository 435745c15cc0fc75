package io.kube4j.runtime.network;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import io.kube4j.runtime.util.CommandResult;
import io.kube4j.runtime.util.Commands;
import io.kube4j.runtime.util.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The pod network: calls the CNI plugins directly (no libcni), as a chain of bridge with
 * host-local IPAM on the node's pod CIDR, then portmap when the pod asks for host ports.
 */
public final class CniNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(CniNetwork.class);
    private static final String CNI_VERSION = "1.0.0";
    private static final Duration PLUGIN_TIMEOUT = Duration.ofSeconds(60);

    private final Path pluginDir;
    private final String bridge;
    private final Path ipamDataDir;
    private final boolean ipMasq;
    private volatile String podCidr;

    public CniNetwork(Path pluginDir, String bridge, String podCidr, Path ipamDataDir, boolean ipMasq) {
        this.pluginDir = pluginDir;
        this.bridge = bridge;
        this.podCidr = podCidr;
        this.ipamDataDir = ipamDataDir;
        this.ipMasq = ipMasq;
    }

    public void setPodCidr(String cidr) {
        if (cidr != null && !cidr.isBlank() && !cidr.equals(podCidr)) {
            LOG.info("pod CIDR is now {}", cidr);
            podCidr = cidr;
        }
    }

    public String podCidr() {
        return podCidr;
    }

    public String bridge() {
        return bridge;
    }

    /** The CNI network name: the bridge plugin tags its iptables rules with it. */
    public String networkName() {
        return "kube4j-" + bridge;
    }

    /** Why the network cannot serve pods, or null when it can. */
    public String notReadyReason() {
        if (podCidr == null || podCidr.isBlank()) {
            // upstream's runtimes too: no pod addresses until the kubelet passes the Node's spec.podCIDR
            return "no pod CIDR yet: waiting for the kubelet to pass the node's spec.podCIDR (UpdateRuntimeConfig)";
        }
        for (String plugin : List.of("bridge", "host-local", "portmap")) {
            if (!Files.isExecutable(pluginDir.resolve(plugin))) {
                return "CNI plugin " + pluginDir.resolve(plugin) + " is missing (install containernetworking-plugins)";
            }
        }
        return null;
    }

    /** Attaches the namespace to the pod network; returns the pod IP. */
    public String add(String sandboxId, Path netns, List<PortMapping> ports) {
        if (podCidr == null || podCidr.isBlank()) {
            throw new IllegalStateException("network not ready: " + notReadyReason());
        }
        JsonNode prevResult = null;
        for (ObjectNode plugin : chain(ports)) {
            if (prevResult != null) {
                plugin.set("prevResult", prevResult);
            }
            prevResult = invoke("ADD", plugin, sandboxId, netns);
        }
        for (JsonNode ip : prevResult.path("ips")) {
            String address = ip.path("address").asString("");
            if (!address.isEmpty()) {
                return address.substring(0, address.indexOf('/') < 0 ? address.length() : address.indexOf('/'));
            }
        }
        throw new IllegalStateException("CNI bridge plugin returned no IP address for sandbox " + sandboxId);
    }

    /** Detaches in reverse order; every plugin is called even if one fails (DEL must release what it can). */
    public void delete(String sandboxId, Path netns, List<PortMapping> ports) {
        if (podCidr == null || podCidr.isBlank()) {
            return; // add() refuses without a range: nothing was attached
        }
        List<ObjectNode> plugins = chain(ports);
        Collections.reverse(plugins);
        RuntimeException first = null;
        for (ObjectNode plugin : plugins) {
            try {
                invoke("DEL", plugin, sandboxId, netns);
            } catch (RuntimeException e) {
                LOG.warn("CNI DEL of {} for sandbox {} failed: {}", plugin.path("type").asString(""), sandboxId, e.getMessage());
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private List<ObjectNode> chain(List<PortMapping> ports) {
        List<ObjectNode> plugins = new ArrayList<>();
        ObjectNode bridgeConf = Json.object();
        bridgeConf.put("type", "bridge");
        bridgeConf.put("bridge", bridge);
        bridgeConf.put("isGateway", true);
        bridgeConf.put("ipMasq", ipMasq);
        // Service traffic that a proxy DNATs back to the same pod needs hairpin on the bridge port.
        bridgeConf.put("hairpinMode", true);
        ObjectNode ipam = bridgeConf.putObject("ipam");
        ipam.put("type", "host-local");
        ipam.put("dataDir", ipamDataDir.toString());
        ipam.putArray("ranges").addArray().addObject().put("subnet", podCidr);
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        plugins.add(bridgeConf);
        if (!ports.isEmpty()) {
            ObjectNode portmap = Json.object();
            portmap.put("type", "portmap");
            portmap.put("snat", true);
            portmap.putObject("capabilities").put("portMappings", true);
            ArrayNode mappings = portmap.putObject("runtimeConfig").putArray("portMappings");
            for (PortMapping port : ports) {
                ObjectNode m = mappings.addObject();
                m.put("hostPort", port.hostPort());
                m.put("containerPort", port.containerPort());
                m.put("protocol", port.protocol());
                if (port.hostIp() != null && !port.hostIp().isEmpty()) {
                    m.put("hostIP", port.hostIp());
                }
            }
            plugins.add(portmap);
        }
        for (ObjectNode plugin : plugins) {
            plugin.put("cniVersion", CNI_VERSION);
            plugin.put("name", networkName());
        }
        return plugins;
    }

    private JsonNode invoke(String command, ObjectNode config, String sandboxId, Path netns) {
        String type = config.path("type").asString("");
        Map<String, String> env = Map.of(
                "CNI_COMMAND", command,
                "CNI_CONTAINERID", sandboxId,
                "CNI_NETNS", netns.toString(),
                "CNI_IFNAME", "eth0",
                "CNI_PATH", pluginDir.toString());
        try {
            Files.createDirectories(ipamDataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + ipamDataDir, e);
        }
        CommandResult result = Commands.run(List.of(pluginDir.resolve(type).toString()), Json.bytes(config), env, PLUGIN_TIMEOUT);
        if (!result.succeeded()) {
            // Plugins report errors as JSON on stdout: {"code":..,"msg":..,"details":..}.
            String message = result.stdoutText().trim();
            try {
                JsonNode error = Json.parse(result.stdout());
                message = error.path("msg").asString("") + (error.has("details") ? ": " + error.path("details").asString("") : "");
            } catch (RuntimeException ignored) {
                message = message.isEmpty() ? result.stderrText() : message;
            }
            throw new IllegalStateException("CNI " + type + " " + command + " failed: " + message);
        }
        return result.stdout().length == 0 ? Json.object() : Json.parse(result.stdout());
    }

    /** Pods reach the outside and each other through the host: forwarding must be on. */
    public static void enableForwarding() {
        try {
            Path forward = Path.of("/proc/sys/net/ipv4/ip_forward");
            if (!Files.readString(forward).trim().equals("1")) {
                Files.writeString(forward, "1");
            }
        } catch (IOException e) {
            LOG.warn("cannot enable net.ipv4.ip_forward: {}", e.getMessage());
        }
    }
}

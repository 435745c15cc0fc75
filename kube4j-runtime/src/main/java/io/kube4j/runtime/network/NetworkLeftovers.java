package io.kube4j.runtime.network;

import io.kube4j.runtime.util.CommandResult;
import io.kube4j.runtime.util.Commands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reclaims what pod sandboxes this runtime does not know left on its network. A runtime that was killed, or a node
 * started again on a fresh data directory, leaves its pods' veths on the bridge (the pods' network namespaces are
 * bind mounts on /run and outlive the runtime) and, for a network with {@code ipMasq}, the bridge plugin's
 * masquerade chains in the nat table. The new runtime's host-local IPAM starts empty and hands the same addresses
 * out again: two namespaces then answer ARP for one address, and the old chain masquerades the new pod's traffic
 * to other nodes' pods, so they no longer see its address. Run once at start, before the runtime serves: from then
 * on every veth on the bridge and every masquerade chain of the network belongs to a sandbox on disk.
 */
public final class NetworkLeftovers {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkLeftovers.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LINK = Pattern.compile("^(\\d+):\\s+([^:@\\s]+)(?:@\\S+)?:", Pattern.MULTILINE);
    private static final Pattern PEER = Pattern.compile("^\\d+:\\s+eth0@if(\\d+):", Pattern.MULTILINE);

    private final String bridge;
    private final String networkName;

    public NetworkLeftovers(String bridge, String networkName) {
        this.bridge = bridge;
        this.networkName = networkName;
    }

    /**
     * @param attached every known sandbox with a pod network: its ID and the bind mount of its network namespace
     */
    public void reclaim(Map<String, Path> attached) {
        try {
            removeUnknownVeths(attached);
        } catch (RuntimeException e) {
            LOG.warn("cannot check the veths on {} for unknown sandboxes: {}", bridge, e.getMessage());
        }
        try {
            removeUnknownMasquerade(attached.keySet());
        } catch (RuntimeException e) {
            LOG.warn("cannot check the nat table for masquerade chains of unknown sandboxes: {}", e.getMessage());
        }
    }

    private void removeUnknownVeths(Map<String, Path> attached) {
        CommandResult ports = Commands.run(List.of("ip", "-o", "link", "show", "master", bridge, "type", "veth"),
                null, Map.of(), TIMEOUT);
        if (!ports.succeeded()) {
            return; // no bridge yet: the first sandbox creates it, nothing can be left on it
        }
        Map<Integer, String> onBridge = links(ports.stdoutText());
        if (onBridge.isEmpty()) {
            return;
        }
        Set<Integer> known = new LinkedHashSet<>();
        for (Map.Entry<String, Path> sandbox : attached.entrySet()) {
            if (!Files.exists(sandbox.getValue())) {
                continue; // its namespace is gone, and with it its end of the veth pair
            }
            CommandResult eth0 = Commands.run(List.of("nsenter", "--net=" + sandbox.getValue(), "ip", "-o", "link",
                    "show", "eth0"), null, Map.of(), TIMEOUT);
            if (!eth0.succeeded() && eth0.stderrText().contains("does not exist")) {
                continue; // killed before the plugin made its veth: it has no port on the bridge
            }
            Integer peer = eth0.succeeded() ? peerIndex(eth0.stdoutText()) : null;
            if (peer == null) {
                // unsure which port is this pod's: removing none is better than cutting a live pod off
                LOG.warn("cannot read the veth peer of sandbox {} ({}): not reclaiming veths on {}",
                        sandbox.getKey(), eth0.stderrText(), bridge);
                return;
            }
            known.add(peer);
        }
        List<String> unknown = unknownPorts(onBridge, known);
        for (String veth : unknown) {
            // deleting one end deletes the pair: the old namespace loses its address with it
            CommandResult deleted = Commands.run(List.of("ip", "link", "del", veth), null, Map.of(), TIMEOUT);
            if (!deleted.succeeded()) {
                LOG.warn("cannot delete {} of an unknown sandbox: {}", veth, deleted.stderrText());
            }
        }
        if (!unknown.isEmpty()) {
            LOG.info("removed {} veth(s) of unknown sandboxes from {}: their addresses are free again", unknown.size(),
                    bridge);
        }
    }

    private void removeUnknownMasquerade(Set<String> known) {
        CommandResult save;
        try {
            save = Commands.run(List.of("iptables-save", "-t", "nat"), null, Map.of(), TIMEOUT);
        } catch (RuntimeException e) {
            return; // no iptables on this host: the bridge plugin cannot have added chains either
        }
        if (!save.succeeded()) {
            return;
        }
        String script = removalScript(save.stdoutText(), networkName, known);
        if (script == null) {
            return;
        }
        CommandResult restored = Commands.run(List.of("iptables-restore", "--noflush"),
                script.getBytes(StandardCharsets.UTF_8), Map.of(), TIMEOUT);
        if (restored.succeeded()) {
            LOG.info("removed the masquerade chains of unknown sandboxes of network {}", networkName);
        } else {
            LOG.warn("cannot remove the masquerade chains of unknown sandboxes: {}", restored.stderrText());
        }
    }

    /** {@code index -> name} of the links in {@code ip -o link} output. */
    static Map<Integer, String> links(String ipOutput) {
        Map<Integer, String> links = new java.util.LinkedHashMap<>();
        Matcher m = LINK.matcher(ipOutput);
        while (m.find()) {
            links.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        return links;
    }

    /** The host-side index of a pod's eth0 from {@code ip -o link show eth0} inside its namespace. */
    static Integer peerIndex(String ipOutput) {
        Matcher m = PEER.matcher(ipOutput);
        return m.find() ? Integer.parseInt(m.group(1)) : null;
    }

    static List<String> unknownPorts(Map<Integer, String> onBridge, Set<Integer> knownPeers) {
        List<String> unknown = new ArrayList<>();
        onBridge.forEach((index, name) -> {
            if (!knownPeers.contains(index)) {
                unknown.add(name);
            }
        });
        return unknown;
    }

    /**
     * The {@code iptables-restore --noflush} input that removes the bridge plugin's masquerade chains of
     * {@code network} whose sandbox is not in {@code known}, or null when there are none. The plugin tags each of
     * its rules with {@code name: "NETWORK" id: "SANDBOX"} and jumps to a per-sandbox chain from POSTROUTING.
     */
    static String removalScript(String iptablesSave, String network, Set<String> known) {
        Pattern tag = Pattern.compile("--comment \"name: \\\\\"" + Pattern.quote(network)
                + "\\\\\" id: \\\\\"([^\\\\\"]+)\\\\\"\"");
        Pattern jump = Pattern.compile("\\s-j\\s+(CNI-\\S+)");
        List<String> deletes = new ArrayList<>();
        Set<String> chains = new LinkedHashSet<>();
        for (String line : iptablesSave.split("\n")) {
            if (!line.startsWith("-A POSTROUTING ")) {
                continue;
            }
            Matcher t = tag.matcher(line);
            Matcher j = jump.matcher(line);
            if (t.find() && !known.contains(t.group(1)) && j.find()) {
                deletes.add("-D" + line.substring(2));
                chains.add(j.group(1));
            }
        }
        if (deletes.isEmpty()) {
            return null;
        }
        StringBuilder script = new StringBuilder("*nat\n");
        deletes.forEach(d -> script.append(d).append('\n'));
        chains.forEach(c -> script.append("-F ").append(c).append('\n'));
        chains.forEach(c -> script.append("-X ").append(c).append('\n'));
        return script.append("COMMIT\n").toString();
    }
}

package io.kube4j.runtime.sandbox;

import io.kube4j.runtime.network.PortMapping;

import java.util.List;

/** What the runtime must remember about a sandbox across restarts (stored as sandbox.json). */
public record SandboxRecord(String id, long createdAt, boolean ready, String ip, boolean hostNetwork,
                            boolean networkAttached, String cgroupParent, boolean ownsCgroup,
                            List<PortMapping> portMappings) {

    SandboxRecord withReady(boolean value) {
        return new SandboxRecord(id, createdAt, value, ip, hostNetwork, networkAttached, cgroupParent, ownsCgroup, portMappings);
    }

    SandboxRecord withNetwork(boolean attached, String address) {
        return new SandboxRecord(id, createdAt, ready, address, hostNetwork, attached, cgroupParent, ownsCgroup, portMappings);
    }
}

package io.kube4j.runtime.sandbox;

import io.kube4j.cri.v1.PodSandboxConfig;

import java.nio.file.Path;

/**
 * A pod sandbox: its stored state, the config it was created from and where its files are.
 *
 * @param pidns the PID namespace all its containers share (shareProcessNamespace), or null: one per container
 */
public record Sandbox(SandboxRecord record, PodSandboxConfig config, Path dir, Path netns, Path utsns, Path ipcns, Path pidns) {

    /** A sandbox whose containers each have their own PID namespace. */
    public Sandbox(SandboxRecord record, PodSandboxConfig config, Path dir, Path netns, Path utsns, Path ipcns) {
        this(record, config, dir, netns, utsns, ipcns, null);
    }

    public String id() {
        return record.id();
    }

    public boolean ready() {
        return record.ready();
    }

    public Path hostnameFile() {
        return dir.resolve("hostname");
    }

    public Path hostsFile() {
        return dir.resolve("hosts");
    }

    public Path resolvConf() {
        return dir.resolve("resolv.conf");
    }

    public String hostname() {
        return config.getHostname();
    }
}

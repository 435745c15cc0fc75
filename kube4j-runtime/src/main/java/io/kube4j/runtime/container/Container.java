package io.kube4j.runtime.container;

import io.kube4j.cri.v1.ContainerConfig;
import io.kube4j.cri.v1.ContainerState;

import java.nio.file.Path;

/** A container: its record, its config and its directory (bundle, rootfs, monitor files). */
public record Container(ContainerRecord record, ContainerConfig config, Path dir) {

    public String id() {
        return record.id();
    }

    public Path bundle() {
        return dir.resolve("bundle");
    }

    public Path rootfs() {
        return dir.resolve("rootfs");
    }

    /** Where the state observed right now is described: see {@link ContainerManager#observe}. */
    public record Observed(ContainerState state, int exitCode, long finishedAt, String reason, String message, long pid) {
    }
}

package io.kube4j.runtime.sandbox;

import io.kube4j.runtime.util.CommandResult;
import io.kube4j.runtime.util.Commands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The namespaces a pod's containers share (network, UTS, IPC), kept alive by bind mounts of their
 * /proc/PID/ns files instead of a pause process: one {@code unshare} call creates them all.
 */
final class PodNamespaces {
    private static final Logger LOG = LoggerFactory.getLogger(PodNamespaces.class);
    private final Path dir;
    private boolean privateMountReady;

    PodNamespaces(Path dir) {
        this.dir = dir;
    }

    Path net(String sandboxId) {
        return dir.resolve(sandboxId + "-net");
    }

    Path uts(String sandboxId) {
        return dir.resolve(sandboxId + "-uts");
    }

    Path ipc(String sandboxId) {
        return dir.resolve(sandboxId + "-ipc");
    }

    /** Creates the namespaces; with the host network only IPC is private (UTS is the node's too). */
    void create(String sandboxId, String hostname, boolean hostNetwork) {
        ensurePrivateMountDir();
        List<String> command = new ArrayList<>(List.of("unshare", "--ipc=" + touch(ipc(sandboxId))));
        if (!hostNetwork) {
            command.add("--net=" + touch(net(sandboxId)));
            command.add("--uts=" + touch(uts(sandboxId)));
            // Inside the new namespaces: set the pod hostname and bring loopback up.
            command.addAll(List.of("/bin/sh", "-c", "hostname \"$1\" && ip link set lo up", "sh", hostname));
        } else {
            command.add("true");
        }
        CommandResult result = Commands.run(command);
        if (!result.succeeded()) {
            remove(sandboxId);
            throw new IllegalStateException("cannot create namespaces for sandbox " + sandboxId + ": " + result.stderrText());
        }
    }

    void remove(String sandboxId) {
        for (Path file : List.of(net(sandboxId), uts(sandboxId), ipc(sandboxId))) {
            if (!Files.exists(file)) {
                continue;
            }
            CommandResult result = Commands.run(List.of("umount", file.toString()));
            if (!result.succeeded() && !result.stderrText().contains("not mounted")) {
                // Lazy detach: a process still inside (e.g. a hung exec) must not keep the file busy.
                Commands.run(List.of("umount", "-l", file.toString()));
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete namespace file {}: {}", file, e.getMessage());
            }
        }
    }

    private String touch(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Namespace bind mounts must live on a private mount, or they would propagate (and pin the
     * namespaces) into every other mount namespace; the same trick {@code ip netns} plays on /run/netns.
     */
    private synchronized void ensurePrivateMountDir() {
        if (privateMountReady && Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        if (!Commands.run(List.of("mountpoint", "-q", dir.toString())).succeeded()) {
            Commands.check(List.of("mount", "--bind", dir.toString(), dir.toString()));
            Commands.check(List.of("mount", "--make-private", dir.toString()));
        }
        privateMountReady = true;
    }
}

package io.kube4j.runtime.sandbox;

import io.kube4j.runtime.unix.Mounts;
import io.kube4j.runtime.unix.PodNamespaceCalls;
import io.kube4j.runtime.util.Commands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The namespaces a pod's containers share (network, UTS, IPC), kept alive by bind mounts of their
 * ns files instead of a pause process, created in-process by {@link PodNamespaceCalls} (no program spawned).
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
        try {
            PodNamespaceCalls.create(Path.of(touch(ipc(sandboxId))), hostNetwork ? null : Path.of(touch(net(sandboxId))),
                    hostNetwork ? null : Path.of(touch(uts(sandboxId))), hostname);
        } catch (IOException e) {
            remove(sandboxId);
            throw new IllegalStateException("cannot create namespaces for sandbox " + sandboxId + ": " + e.getMessage(), e);
        }
    }

    void remove(String sandboxId) {
        for (Path file : List.of(net(sandboxId), uts(sandboxId), ipc(sandboxId))) {
            if (!Files.exists(file)) {
                continue;
            }
            try {
                // Detaches lazily when busy: a process still inside (e.g. a hung exec) must not keep the file busy.
                Mounts.unmount(file);
            } catch (IOException e) {
                LOG.warn("{}", e.getMessage());
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

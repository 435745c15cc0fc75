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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The namespaces a pod's containers share (network, UTS, IPC), kept alive by bind mounts of their
 * ns files instead of a pause process, created in-process by {@link PodNamespaceCalls} (no program spawned).
 * The pins live on /run and outlive the runtime; next to them an owner file names the sandboxes directory of the
 * runtime that made them, because several runtimes of one host (agents of a multi-node test) share the pin
 * directory and start-up must reclaim only what no runtime knows.
 */
final class PodNamespaces {
    private static final Logger LOG = LoggerFactory.getLogger(PodNamespaces.class);
    private static final String OWNER_SUFFIX = ".owner";
    private static final Pattern ENTRY = Pattern.compile("^(.+)(?:-net|-uts|-ipc|" + Pattern.quote(OWNER_SUFFIX) + ")$");
    private final Path dir;
    private final Path sandboxesRoot;
    private boolean privateMountReady;

    /**
     * @param dir           where the pins are, shared by every runtime of the host
     * @param sandboxesRoot this runtime's sandboxes directory (a sandbox ID is a directory in it), written as owner
     */
    PodNamespaces(Path dir, Path sandboxesRoot) {
        this.dir = dir;
        this.sandboxesRoot = sandboxesRoot.toAbsolutePath().normalize();
    }

    private Path owner(String sandboxId) {
        return dir.resolve(sandboxId + OWNER_SUFFIX);
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
            writeOwner(sandboxId);
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
        // Last, once the pins are gone, so that an owner file always covers a pin.
        try {
            Files.deleteIfExists(owner(sandboxId));
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", owner(sandboxId), e.getMessage());
        }
    }

    /**
     * Unpins and deletes the namespaces of sandboxes that no runtime knows any more: a runtime killed while it had
     * sandboxes whose directory is gone (a data directory wiped or replaced, a node started on a new one), or
     * killed between pinning and writing its record. Their bind mounts would otherwise keep the namespaces, and
     * their veth peers on the bridge, alive until the node reboots. Kept: {@code known} (the sandboxes this runtime
     * re-adopted) and the sandboxes another runtime of the host still has a directory for (its owner file names
     * that runtime's sandboxes directory; the directory is written before the pins and deleted after them). Pins
     * without an owner file were made before owner files existed and are reclaimed unless known. Run once at
     * start, before the runtime serves.
     *
     * @return how many sandboxes' pins were reclaimed
     */
    int reclaimUnknown(Set<String> known) {
        if (!Files.isDirectory(dir)) {
            return 0; // a node just booted: nothing survived on /run
        }
        Set<String> ids = new TreeSet<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(entry -> {
                Matcher m = ENTRY.matcher(entry.getFileName().toString());
                if (m.matches()) {
                    ids.add(m.group(1));
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot list pod namespaces in {}: {}", dir, e.getMessage());
            return 0;
        }
        int reclaimed = 0;
        for (String id : ids) {
            if (known.contains(id) || ownedElsewhere(id)) {
                continue;
            }
            LOG.info("unpinning the namespaces of sandbox {}: no runtime knows it", id);
            remove(id);
            reclaimed++;
        }
        if (reclaimed > 0) {
            LOG.info("reclaimed the namespaces of {} unknown sandbox(es) in {}", reclaimed, dir);
        }
        return reclaimed;
    }

    /** Whether another runtime of the host has a directory for this sandbox: it is that runtime's to remove. */
    private boolean ownedElsewhere(String sandboxId) {
        Path file = owner(sandboxId);
        String text;
        try {
            // read now, not from the listing: a sandbox created while we listed has its owner file before its pins
            text = Files.exists(file) ? Files.readString(file).strip() : "";
        } catch (IOException e) {
            LOG.warn("cannot read {}, keeping sandbox {}'s namespaces: {}", file, sandboxId, e.getMessage());
            return true;
        }
        if (text.isEmpty()) {
            return false;
        }
        Path root;
        try {
            root = Path.of(text).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            return false; // not a path: not written by any runtime
        }
        return !root.equals(sandboxesRoot) && Files.isDirectory(root.resolve(sandboxId));
    }

    /**
     * Before any pin exists, so that a runtime starting meanwhile never sees an unowned pin of a live sandbox; whole
     * or not at all (written aside, then renamed), so that it never reads a half-written owner either.
     */
    private void writeOwner(String sandboxId) throws IOException {
        Path aside = dir.resolve(sandboxId + OWNER_SUFFIX + ".tmp");
        Files.writeString(aside, sandboxesRoot.toString());
        Files.move(aside, owner(sandboxId), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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

package io.kube4j.runtime.sandbox;

import io.kube4j.host.cgroup.Cgroups;
import io.kube4j.runtime.unix.Mounts;
import io.kube4j.runtime.unix.PodNamespaceCalls;
import io.kube4j.runtime.util.Commands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The namespaces a pod's containers share (network, UTS, IPC), kept alive by bind mounts of their
 * ns files instead of a pause process, created in-process by {@link PodNamespaceCalls} (no program spawned).
 * A pod that shares one PID namespace between its containers (shareProcessNamespace) also gets one, pinned the same
 * way; a PID namespace needs a process as its PID 1, and ends with it, so an infra process is started in it, as
 * upstream's pause container (CRI-O, which also drops the infra container otherwise, starts one for these pods too):
 * in the pod cgroup, and reaping the processes re-parented to it.
 * The pins live on /run and outlive the runtime; next to them an owner file names the sandboxes directory of the
 * runtime that made them, because several runtimes of one host (agents of a multi-node test) share the pin
 * directory and start-up must reclaim only what no runtime knows.
 */
final class PodNamespaces {
    private static final Logger LOG = LoggerFactory.getLogger(PodNamespaces.class);
    private static final String OWNER_SUFFIX = ".owner";
    private static final String INFRA_SUFFIX = ".infra";
    private static final Pattern ENTRY = Pattern.compile("^(.+)(?:-net|-uts|-ipc|-pid|" + Pattern.quote(OWNER_SUFFIX) + "|"
            + Pattern.quote(INFRA_SUFFIX) + ")$");
    /**
     * PID 1 of a shared PID namespace, under util-linux unshare, which pins the namespace (--pid=FILE) and kills it when
     * it dies itself (--kill-child). A process whose parent exits is re-parented to PID 1, so PID 1 must reap, as
     * upstream's pause does (one that does not leaves every such process a zombie, holding a PID of the pod): catatonit
     * in pause mode, podman's pause process, waits for its children and runs nothing. Before it, the shell moves itself
     * into the pod cgroup (writing 0 to cgroup.procs moves the writer; the files are its arguments) and then becomes
     * catatonit, so the infra process is accounted to the pod from its first instruction, as the pause container is.
     * Exit codes: {@link #INFRA_CGROUP_FAILED} if it cannot join the cgroup, {@link #INFRA_NOT_FOUND} without catatonit.
     */
    private static final String INFRA_SCRIPT = "for procs do echo 0 > \"$procs\" || exit 125; done; exec catatonit -P";
    private static final int INFRA_CGROUP_FAILED = 125;
    private static final int INFRA_NOT_FOUND = 127;
    /** How long the end of a shared PID namespace is awaited: the kernel kills all in it, nothing is asked to stop. */
    private static final Duration INFRA_STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration INFRA_START_TIMEOUT = Duration.ofSeconds(30);
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

    /** The pod's shared PID namespace (only a sandbox made with {@code sharedPid} has it). */
    Path pid(String sandboxId) {
        return dir.resolve(sandboxId + "-pid");
    }

    /** The PID of the unshare that runs the shared PID namespace's infra process. */
    private Path infra(String sandboxId) {
        return dir.resolve(sandboxId + INFRA_SUFFIX);
    }

    /**
     * Creates the namespaces; with the host network only IPC is private (UTS is the node's too). With {@code sharedPid}
     * also a PID namespace for all the pod's containers, its PID 1 the infra process, which runs in {@code podCgroup}.
     */
    void create(String sandboxId, String hostname, boolean hostNetwork, boolean sharedPid, String podCgroup) {
        ensurePrivateMountDir();
        try {
            writeOwner(sandboxId);
            PodNamespaceCalls.create(Path.of(touch(ipc(sandboxId))), hostNetwork ? null : Path.of(touch(net(sandboxId))),
                    hostNetwork ? null : Path.of(touch(uts(sandboxId))), hostname);
            if (sharedPid) {
                startInfra(sandboxId, podCgroup);
            }
        } catch (IOException | RuntimeException e) {
            remove(sandboxId);
            throw new IllegalStateException("cannot create namespaces for sandbox " + sandboxId + ": " + e.getMessage(), e);
        }
    }

    /** Starts the infra process and returns once its PID namespace is pinned, so a container can join it at once. */
    private void startInfra(String sandboxId, String podCgroup) throws IOException {
        Path pin = pid(sandboxId);
        touch(pin);
        List<String> command = new java.util.ArrayList<>(List.of("unshare", "--pid=" + pin, "--kill-child",
                "sh", "-c", INFRA_SCRIPT, "infra"));
        for (Path procs : Cgroups.ofThisHost().procsFiles(podCgroup)) {
            command.add(procs.toString());
        }
        Process unshare = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true)
                .start();
        // written before the pin can be used: whatever happens next, remove() finds the process to end
        Files.writeString(infra(sandboxId), Long.toString(unshare.pid()));
        long deadline = System.nanoTime() + INFRA_START_TIMEOUT.toNanos();
        long pause = 1;
        // pinned is not enough: the pod's containers must not start before the infra process has joined the pod
        // cgroup, which it does before it becomes catatonit
        while (!pinnedBy(pin, unshare.pid()) || !infraRunsCatatonit(unshare.pid())) {
            if (!unshare.isAlive()) {
                throw new IOException("the infra process of the shared PID namespace ended at once: "
                        + whyEnded(unshare.exitValue(), podCgroup));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the infra process of the shared PID namespace was not running within "
                        + INFRA_START_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting the infra process", e);
            }
            pause = Math.min(16, pause * 2);
        }
    }

    /** Whether the child unshare started (the infra process) has become catatonit, its cgroups joined. */
    private static boolean infraRunsCatatonit(long unsharePid) {
        try {
            String children = Files.readString(Path.of("/proc", Long.toString(unsharePid), "task",
                    Long.toString(unsharePid), "children")).trim();
            for (String child : children.split("\\s+")) {
                if (!child.isEmpty() && Files.readString(Path.of("/proc", child, "comm")).trim().equals("catatonit")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false; // not started yet, or gone (the loop then reports how it ended)
        }
    }

    private static String whyEnded(int exitCode, String podCgroup) {
        return switch (exitCode) {
            case INFRA_CGROUP_FAILED -> "it could not join the pod cgroup " + podCgroup;
            case INFRA_NOT_FOUND -> "catatonit, its program, is not installed (Debian package catatonit; bin/setup installs it)";
            default -> "exit code " + exitCode;
        };
    }

    /**
     * Whether {@code pin} holds the PID namespace the process's children are born in: the namespace's ns file (a
     * {@code pid:[inode]} link) and the pin's inode agree. Also how a recorded PID is checked before it is killed: after a
     * reboot or a crash the number may belong to another process.
     */
    private static boolean pinnedBy(Path pin, long pid) {
        return inNamespace(pin, pid, "pid_for_children");
    }

    /** Whether the process itself runs in the PID namespace {@code pin} holds. */
    private static boolean livesIn(Path pin, long pid) {
        return inNamespace(pin, pid, "pid");
    }

    private static boolean inNamespace(Path pin, long pid, String nsFile) {
        try {
            String ns = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", nsFile)).toString();
            return ns.equals("pid:[" + Files.getAttribute(pin, "unix:ino") + "]");
        } catch (IOException | UnsupportedOperationException e) {
            return false; // gone, or not started yet
        }
    }

    /**
     * Ends the infra process and with it every process left in the shared PID namespace, and returns once they are gone:
     * the kernel ends a namespace's PID 1 only after every other process in it, and the pod cgroup can be removed only
     * once the infra process has left it.
     */
    private void stopInfra(String sandboxId) {
        Path file = infra(sandboxId);
        if (!Files.exists(file)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(file).strip());
            Path pin = pid(sandboxId);
            if (pinnedBy(pin, pid)) {
                ProcessHandle.of(pid).ifPresent(unshare -> {
                    long deadline = System.nanoTime() + INFRA_STOP_TIMEOUT.toNanos();
                    // Its one child in the namespace is the infra process, PID 1 there. Killed first, the unshare would
                    // leave it to the host's init, which may never reap it (a zombie for good); killed itself, it is
                    // reaped by the unshare, which then exits with it.
                    List<ProcessHandle> infra = unshare.children().filter(child -> livesIn(pin, child.pid())).toList();
                    infra.forEach(ProcessHandle::destroyForcibly);
                    for (ProcessHandle process : infra) {
                        if (!awaitEnd(deadline, () -> livesIn(pin, process.pid()) && !zombie(process.pid()))) {
                            LOG.warn("the infra process {} of sandbox {} has not ended {} s after SIGKILL", process.pid(), sandboxId,
                                    INFRA_STOP_TIMEOUT.toSeconds());
                        }
                    }
                    if (!awaitEnd(deadline, () -> pinnedBy(pin, pid))) {
                        unshare.destroyForcibly(); // --kill-child: its child, if any, goes with it
                    }
                });
            }
            Files.deleteIfExists(file);
        } catch (IOException | NumberFormatException e) {
            LOG.warn("cannot stop the infra process of sandbox {}: {}", sandboxId, e.getMessage());
        }
    }

    /**
     * Waits until a process no longer runs, by the deadline ({@link System#nanoTime}); whether it ended. A process that
     * has ended is gone, a zombie (which has left its cgroup and namespaces already) or, its PID reused, another
     * namespace's: {@code running} checks the namespace.
     */
    private static boolean awaitEnd(long deadline, java.util.function.BooleanSupplier running) {
        long pause = 1;
        while (running.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = Math.min(16, pause * 2);
        }
        return true;
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the state follows the command name, which may itself hold spaces and parentheses
            return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException e) {
            return true; // reaped meanwhile
        }
    }

    void remove(String sandboxId) {
        stopInfra(sandboxId);
        for (Path file : List.of(net(sandboxId), uts(sandboxId), ipc(sandboxId), pid(sandboxId))) {
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

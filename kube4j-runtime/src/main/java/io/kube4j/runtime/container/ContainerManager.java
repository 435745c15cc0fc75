package io.kube4j.runtime.container;

import io.kube4j.cri.v1.ContainerConfig;
import io.kube4j.cri.v1.ContainerState;
import io.kube4j.cri.v1.LinuxContainerResources;
import io.kube4j.cri.v1.PodSandboxConfig;
import io.kube4j.cri.v1.Signal;
import io.kube4j.host.cgroup.Cgroups;
import io.kube4j.runtime.image.ImageRecord;
import io.kube4j.runtime.image.ImageStore;
import io.kube4j.runtime.oci.Conmon;
import io.kube4j.runtime.oci.OciSpecBuilder;
import io.kube4j.runtime.oci.Runc;
import io.kube4j.runtime.sandbox.Sandbox;
import io.kube4j.runtime.sandbox.SandboxManager;
import io.kube4j.runtime.util.CommandResult;
import io.kube4j.runtime.util.FileTrees;
import io.kube4j.runtime.util.Ids;
import io.kube4j.runtime.util.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Containers on runc under conmon. Every fact the runtime needs after a restart is on disk:
 * container.json and config.pb here, the exit code file conmon writes, runc's own state.
 */
public final class ContainerManager {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerManager.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    /** Rotated by conmon beyond this size, like the kubelet's default containerLogMaxSize. */
    private static final long LOG_SIZE_MAX = 10L * 1024 * 1024;

    private final Path root;
    private final ImageStore images;
    private final SandboxManager sandboxes;
    private final Runc runc;
    private final Conmon conmon;
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    /**
     * One lock per container for what must not run twice at once on it (a start; the reaping of an exit, which runs
     * {@code runc delete}). Not one lock for the manager: every ListContainers observes every container, and a start or
     * a reap holding a manager-wide lock made all of them, and with them every pod's sync, wait behind one slow runc.
     */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final ContainerEvents events = new ContainerEvents();

    public ContainerManager(Path containersRoot, ImageStore images, SandboxManager sandboxes, Runc runc, Conmon conmon) {
        this.root = containersRoot;
        this.images = images;
        this.sandboxes = sandboxes;
        this.runc = runc;
        this.conmon = conmon;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        recover();
    }

    private void recover() {
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                Path recordFile = dir.resolve("container.json");
                Path configFile = dir.resolve("config.pb");
                if (!Files.exists(recordFile) || !Files.exists(configFile)) {
                    LOG.warn("removing incomplete container directory {}", dir);
                    OverlayRootfs.unmount(dir.resolve("rootfs"));
                    FileTrees.deleteRecursively(dir);
                    continue;
                }
                ContainerRecord record = Json.read(recordFile, ContainerRecord.class);
                containers.put(record.id(), new Container(record, ContainerConfig.parseFrom(Files.readAllBytes(configFile)), dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover containers from " + root + ": " + e.getMessage(), e);
        }
        LOG.info("recovered {} containers", containers.size());
    }

    public Container create(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        if (!config.hasMetadata() || config.getMetadata().getName().isEmpty()) {
            throw new IllegalArgumentException("container config must have metadata with a name");
        }
        Sandbox sandbox = sandboxes.get(sandboxId);
        if (!sandbox.ready()) {
            throw new IllegalStateException("pod sandbox " + sandbox.id() + " is not ready");
        }
        ImageRecord image = images.require(config.getImage().getImage());
        synchronized (this) {
            for (Container existing : containers.values()) {
                ContainerRecord r = existing.record();
                if (r.sandboxId().equals(sandbox.id()) && r.name().equals(config.getMetadata().getName())
                        && r.attempt() == config.getMetadata().getAttempt()) {
                    throw new ContainerExistsException(config.getMetadata().getName(), config.getMetadata().getAttempt(), r.id());
                }
            }
        }
        String id = Ids.newId();
        Path dir = root.resolve(id);
        String cgroupPath = sandbox.record().cgroupParent() + "/" + id;
        Path logPath = logPath(sandbox, config, dir);
        ContainerRecord record = new ContainerRecord(id, sandbox.id(), config.getMetadata().getName(),
                config.getMetadata().getAttempt(), image.id(), image.repoDigests().isEmpty() ? image.id() : image.repoDigests().get(0),
                config.getImage().getImage(), image.layerDigests(), now(), 0, logPath.toString(), cgroupPath, false, false);
        Container container = new Container(record, config, dir);
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(container.bundle());
            Files.write(dir.resolve("config.pb"), config.toByteArray());
            save(container);
            containers.put(id, container);
            OverlayRootfs.mount(dir, images.unpackedLayers(image), container.rootfs());
            long t1 = System.nanoTime();
            var spec = new OciSpecBuilder(config, sandbox, image.config(), container.rootfs(), cgroupPath, this::initPidOf).build();
            Json.write(container.bundle().resolve("config.json"), spec);
            Files.createDirectories(logPath.getParent());
            long t2 = System.nanoTime();
            conmon.create(id, container.bundle(), dir, logPath, LOG_SIZE_MAX, config.getStdin(), config.getStdinOnce(), config.getTty());
            long t3 = System.nanoTime();
            // the steps' times say whether a slow create waited on the disk (rootfs), on us (spec) or on conmon + runc
            LOG.info("container {} ({}) created in sandbox {} in {} ms (rootfs {}, spec {}, conmon + runc create {})", id, record.name(),
                    sandbox.id(), (t3 - t0) / 1_000_000, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
            events.publish(container, ContainerEvents.Type.CREATED);
            return container;
        } catch (RuntimeException | IOException e) {
            try {
                remove(id);
            } catch (RuntimeException cleanup) {
                LOG.warn("cleanup of container {} failed: {}", id, cleanup.getMessage());
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    private static Path logPath(Sandbox sandbox, ContainerConfig config, Path dir) {
        String logDir = sandbox.config().getLogDirectory();
        if (!logDir.isEmpty() && !config.getLogPath().isEmpty()) {
            Path path = Path.of(logDir).resolve(config.getLogPath()).normalize();
            if (!path.startsWith(Path.of(logDir).normalize())) {
                throw new IllegalArgumentException("log path \"" + config.getLogPath() + "\" escapes the pod log directory");
            }
            return path;
        }
        return dir.resolve("container.log");
    }

    public void start(String id) {
        Container container = get(id);
        synchronized (lockOf(container.id())) {
            Container.Observed observed = observe(container);
            if (observed.state() != ContainerState.CONTAINER_CREATED) {
                throw new IllegalStateException("container " + container.id() + " is " + stateName(observed.state()) + ", not created");
            }
            Container started = update(container, container.record().started(now()));
            runc.start(container.id(), observed.pid());
            LOG.info("container {} started", container.id());
            events.publish(started, ContainerEvents.Type.STARTED);
        }
    }

    private Object lockOf(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    /** Signals the container, escalates to SIGKILL after the timeout, and waits for it to exit. Idempotent. */
    public void stop(String id, long timeoutSeconds) {
        Container container = get(id);
        ContainerState state = observe(container).state();
        // UNKNOWN: created, but its monitor is gone, so there is no process to stop.
        if (state == ContainerState.CONTAINER_EXITED || state == ContainerState.CONTAINER_UNKNOWN) {
            return;
        }
        if (timeoutSeconds > 0) {
            runc.kill(container.id(), stopSignal(container), !ownsPidNamespace(container));
            if (waitForExit(container, Duration.ofSeconds(timeoutSeconds))) {
                return;
            }
        }
        runc.kill(container.id(), "KILL", true);
        if (!waitForExit(container, KILL_WAIT)) {
            throw new IllegalStateException("container " + container.id() + " did not exit after SIGKILL");
        }
    }

    /**
     * Whether the container has a PID namespace of its own, whose end (its init's) ends every process in it. A container
     * in its pod's shared namespace, another container's (an ephemeral one) or the host's leaves its other processes
     * running when its init ends, so the stop signal goes to every process of its cgroup (runc kill --all) and each may
     * end as gracefully as the init; containerd 1.6 signals the init alone. What still runs once the init has ended, the
     * runc delete that follows its exit kills, as containerd's shim does (runc kills all of a cgroup whose container
     * shares its PID namespace). The spec runc runs it with says; when it cannot be read, signalling all is the safe side.
     */
    private static boolean ownsPidNamespace(Container container) {
        try {
            for (JsonNode namespace : Json.read(container.bundle().resolve("config.json")).path("linux").path("namespaces")) {
                if (Json.text(namespace, "type").equals("pid")) {
                    return Json.text(namespace, "path").isEmpty();
                }
            }
            return false; // no PID namespace entry: the host's
        } catch (RuntimeException e) {
            LOG.warn("cannot read the spec of container {}, signalling all its processes: {}", container.id(), e.getMessage());
            return false;
        }
    }

    /** The image the container was made from as the store has it now (its names may have changed), if still there. */
    public Optional<ImageRecord> image(Container container) {
        return images.find(container.record().imageId());
    }

    private String stopSignal(Container container) {
        Signal signal = container.config().getStopSignal();
        if (signal != Signal.RUNTIME_DEFAULT && signal != Signal.UNRECOGNIZED) {
            return signal.name().substring(3);
        }
        ImageRecord image = image(container).orElse(null);
        if (image != null && !image.config().stopSignal().isEmpty()) {
            return image.config().stopSignal().replaceFirst("^SIG", "");
        }
        return "TERM";
    }

    private boolean waitForExit(Container container, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (observe(container).state() == ContainerState.CONTAINER_EXITED) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return observe(container).state() == ContainerState.CONTAINER_EXITED;
    }

    /** Kills a running container and removes everything it owns. Idempotent. */
    public void remove(String id) {
        Container container = containers.get(id);
        if (container == null) {
            container = find(id);
            if (container == null) {
                return;
            }
        }
        ContainerState state = observe(container).state();
        if (state == ContainerState.CONTAINER_RUNNING || state == ContainerState.CONTAINER_CREATED) {
            stop(container.id(), 0);
        }
        observe(container);
        runc.delete(container.id());
        OverlayRootfs.unmount(container.rootfs());
        Cgroups.ofThisHost().remove(container.record().cgroupPath());
        FileTrees.deleteRecursively(container.dir());
        if (containers.remove(container.id()) != null) {
            events.publish(container, ContainerEvents.Type.DELETED);
        }
        locks.remove(container.id());
        LOG.info("container {} removed", container.id());
    }

    /**
     * The container's state right now, from conmon's files. The first time an exit is seen, the OOM
     * verdict is read from the still-present cgroup and the runc container is deleted.
     */
    public Container.Observed observe(Container container) {
        synchronized (lockOf(container.id())) {
            return observeLocked(container);
        }
    }

    private Container.Observed observeLocked(Container container) {
        Container current = containers.getOrDefault(container.id(), container);
        Path exitFile = current.dir().resolve(Conmon.EXIT_FILE);
        long pid = readLong(current.dir().resolve("pid"));
        if (Files.exists(exitFile)) {
            int code = (int) readLong(exitFile);
            ContainerRecord record = current.record();
            // A file's mtime comes from the kernel's coarse clock (one tick, up to 4 ms behind), while startedAt is a
            // precise reading taken before `runc start`: a container that exits at once could seem to finish before
            // it started. Exiting cannot precede starting.
            long finishedAt = Math.max(mtime(exitFile), record.startedAt());
            if (!record.reaped()) {
                boolean oom = Files.exists(current.dir().resolve(Conmon.OOM_FILE)) || Cgroups.ofThisHost().oomKills(record.cgroupPath()) > 0;
                try {
                    runc.delete(current.id());
                } catch (RuntimeException e) {
                    LOG.warn("runc delete of exited container {} failed: {}", current.id(), e.getMessage());
                }
                Container reaped = update(current, record.reaped(oom));
                record = reaped.record();
                events.publish(reaped, ContainerEvents.Type.STOPPED);
            }
            String reason = record.oomKilled() ? "OOMKilled" : code == 0 ? "Completed" : "Error";
            return new Container.Observed(ContainerState.CONTAINER_EXITED, code, finishedAt, reason, "", 0);
        }
        boolean monitorAlive = processAlive(readLong(current.dir().resolve("conmon.pid")));
        if (!monitorAlive && current.record().startedAt() > 0 && !Files.exists(exitFile)) {
            // The monitor is gone with no exit code written (killed, or the node rebooted).
            return new Container.Observed(ContainerState.CONTAINER_EXITED, 255, mtime(current.dir().resolve("conmon.pid")),
                    "Error", "container monitor exited without recording an exit code", 0);
        }
        if (current.record().startedAt() > 0) {
            return new Container.Observed(ContainerState.CONTAINER_RUNNING, 0, 0, "", "", pid);
        }
        return new Container.Observed(monitorAlive ? ContainerState.CONTAINER_CREATED : ContainerState.CONTAINER_UNKNOWN,
                0, 0, "", "", pid);
    }

    private static boolean processAlive(long pid) {
        return pid > 0 && Files.exists(Path.of("/proc/" + pid));
    }

    private static long readLong(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static long mtime(Path file) {
        try {
            Instant t = Files.getLastModifiedTime(file).toInstant();
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (IOException e) {
            return now();
        }
    }

    private Long initPidOf(String containerId) {
        Container target = get(containerId);
        long pid = observe(target).pid();
        if (pid <= 0) {
            throw new IllegalArgumentException("target container " + containerId + " is not running");
        }
        return pid;
    }

    public record ExecResult(byte[] stdout, byte[] stderr, int exitCode) {
    }

    public ExecResult execSync(String id, List<String> cmd, long timeoutSeconds) throws TimeoutException {
        Container container = get(id);
        if (cmd.isEmpty()) {
            throw new IllegalArgumentException("exec command is empty");
        }
        requireRunning(container);
        CommandResult result = runc.exec(container.id(), cmd, Duration.ofSeconds(Math.max(0, timeoutSeconds)),
                container.dir().resolve("exec-" + System.nanoTime() + ".pid"));
        if (result.timedOut()) {
            throw new TimeoutException("command " + cmd + " in container " + container.id() + " timed out after " + timeoutSeconds + "s");
        }
        return new ExecResult(result.stdout(), result.stderr(), result.exitCode());
    }

    public void reopenLog(String id) throws IOException {
        Container container = get(id);
        requireRunning(container);
        Conmon.reopenLog(container.bundle());
    }

    public void updateResources(String id, LinuxContainerResources resources) {
        Container container = get(id);
        requireRunning(container);
        List<String> flags = new ArrayList<>();
        if (resources.getMemoryLimitInBytes() > 0) {
            flags.addAll(List.of("--memory", Long.toString(resources.getMemoryLimitInBytes())));
        }
        if (resources.getCpuShares() > 0) {
            flags.addAll(List.of("--cpu-share", Long.toString(resources.getCpuShares())));
        }
        if (resources.getCpuPeriod() > 0) {
            flags.addAll(List.of("--cpu-period", Long.toString(resources.getCpuPeriod())));
        }
        if (resources.getCpuQuota() != 0) {
            flags.addAll(List.of("--cpu-quota", Long.toString(resources.getCpuQuota())));
        }
        if (!resources.getCpusetCpus().isEmpty()) {
            flags.addAll(List.of("--cpuset-cpus", resources.getCpusetCpus()));
        }
        if (!resources.getCpusetMems().isEmpty()) {
            flags.addAll(List.of("--cpuset-mems", resources.getCpusetMems()));
        }
        if (!flags.isEmpty()) {
            runc.update(container.id(), flags);
        }
        ContainerConfig config = container.config().toBuilder()
                .setLinux(container.config().getLinux().toBuilder().setResources(resources)).build();
        try {
            Files.write(container.dir().resolve("config.pb"), config.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        containers.put(container.id(), new Container(container.record(), config, container.dir()));
    }

    private void requireRunning(Container container) {
        ContainerState state = observe(container).state();
        if (state != ContainerState.CONTAINER_RUNNING) {
            throw new IllegalStateException("container " + container.id() + " is " + stateName(state) + ", not running");
        }
    }

    private static String stateName(ContainerState state) {
        return state.name().replace("CONTAINER_", "").toLowerCase();
    }

    /** Finds a container by full ID or unique prefix. */
    public Container get(String id) {
        Container container = find(id);
        if (container == null) {
            throw new ContainerNotFoundException(id);
        }
        return container;
    }

    private Container find(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("container ID is empty");
        }
        Container exact = containers.get(id);
        if (exact != null) {
            return exact;
        }
        List<Container> matches = containers.values().stream().filter(c -> c.id().startsWith(id)).toList();
        return matches.size() == 1 ? matches.get(0) : null;
    }

    public ContainerEvents events() {
        return events;
    }

    /**
     * Notices containers that exited since last asked (conmon wrote their exit file), so that
     * their STOPPED event goes out even when nobody asks for their status.
     */
    public void reapExited() {
        for (Container container : list()) {
            if (container.record().startedAt() > 0 && !container.record().reaped()) {
                try {
                    observe(container);
                } catch (RuntimeException e) {
                    LOG.debug("cannot observe container {}: {}", container.id(), e.getMessage());
                }
            }
        }
    }

    public Collection<Container> list() {
        return new ArrayList<>(containers.values());
    }

    public List<Container> inSandbox(String sandboxId) {
        return containers.values().stream().filter(c -> c.record().sandboxId().equals(sandboxId)).toList();
    }

    public boolean layerInUse(String layerDigest) {
        return containers.values().stream().anyMatch(c -> c.record().layers().contains(layerDigest));
    }

    private Container update(Container container, ContainerRecord record) {
        Container updated = new Container(record, container.config(), container.dir());
        save(updated);
        containers.put(record.id(), updated);
        return updated;
    }

    private static void save(Container container) {
        Json.write(container.dir().resolve("container.json"), container.record());
    }

    static long now() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}

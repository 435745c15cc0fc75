package io.kube4j.runtime.sandbox;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kube4j.cri.v1.LinuxContainerResources;
import io.kube4j.cri.v1.NamespaceMode;
import io.kube4j.cri.v1.PodSandboxConfig;
import io.kube4j.host.cgroup.Cgroups;
import io.kube4j.runtime.network.CniNetwork;
import io.kube4j.runtime.network.PortMapping;
import io.kube4j.runtime.util.FileTrees;
import io.kube4j.runtime.util.Ids;
import io.kube4j.runtime.util.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Pod sandboxes without a pause container: a sandbox is a set of bind-mounted namespaces, a CNI
 * attachment, a pod cgroup and a few files, all recorded under ROOT/sandboxes/ID.
 */
public final class SandboxManager {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxManager.class);

    private final Path root;
    private final PodNamespaces namespaces;
    private final CniNetwork network;
    private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();

    public SandboxManager(Path sandboxesRoot, Path namespaceDir, CniNetwork network) {
        this.root = sandboxesRoot;
        this.namespaces = new PodNamespaces(namespaceDir, sandboxesRoot);
        this.network = network;
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
                Path recordFile = dir.resolve("sandbox.json");
                Path configFile = dir.resolve("config.pb");
                if (!Files.exists(recordFile) || !Files.exists(configFile)) {
                    LOG.warn("removing incomplete sandbox directory {}", dir);
                    FileTrees.deleteRecursively(dir);
                    continue;
                }
                SandboxRecord record = Json.read(recordFile, SandboxRecord.class);
                Sandbox sandbox = sandbox(record, PodSandboxConfig.parseFrom(Files.readAllBytes(configFile)));
                sandboxes.put(record.id(), sandbox);
                if (record.ready() && (!record.hostNetwork() && !Files.exists(sandbox.netns())
                        || sandbox.pidns() != null && !Files.exists(sandbox.pidns()))) {
                    // The node rebooted (namespaces live on /run): the kubelet must recreate the pod.
                    LOG.warn("sandbox {} lost its namespaces, marking it not ready", record.id());
                    update(sandbox, record.withNetwork(false, record.ip()).withReady(false));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover sandboxes from " + root + ": " + e.getMessage(), e);
        }
        LOG.info("recovered {} sandboxes", sandboxes.size());
        // With the sandboxes on disk known, the namespaces pinned for others are leftovers (see reclaimUnknown).
        namespaces.reclaimUnknown(sandboxes.keySet());
    }

    private Sandbox sandbox(SandboxRecord record, PodSandboxConfig config) {
        String id = record.id();
        return new Sandbox(record, config, root.resolve(id), record.hostNetwork() ? null : namespaces.net(id),
                record.hostNetwork() ? null : namespaces.uts(id), namespaces.ipc(id), sharedPid(config) ? namespaces.pid(id) : null);
    }

    /**
     * shareProcessNamespace: the kubelet asks for the pod's PID namespace for the sandbox and every container (else
     * CONTAINER). POD is also CRI's default, and a sandbox config that says nothing gets one too, as on containerd.
     */
    private static boolean sharedPid(PodSandboxConfig config) {
        return config.getLinux().getSecurityContext().getNamespaceOptions().getPid() == NamespaceMode.POD;
    }

    public Sandbox run(PodSandboxConfig config, String runtimeHandler) {
        validate(config, runtimeHandler);
        String id = Ids.newId();
        boolean hostNetwork = config.getLinux().getSecurityContext().getNamespaceOptions().getNetwork() == NamespaceMode.NODE;
        String parent = config.getLinux().getCgroupParent();
        boolean ownsCgroup = parent.isEmpty();
        String cgroup = ownsCgroup ? "/kube4j/" + id : parent;
        List<PortMapping> ports = config.getPortMappingsList().stream()
                .filter(p -> p.getHostPort() > 0)
                .map(p -> new PortMapping(p.getHostPort(), p.getContainerPort(), p.getProtocol().name().toLowerCase(Locale.ROOT), p.getHostIp()))
                .toList();
        SandboxRecord record = new SandboxRecord(id, now(), false, "", hostNetwork, false, cgroup, ownsCgroup, ports);
        Sandbox sandbox = sandbox(record, config);
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(sandbox.dir());
            Files.write(sandbox.dir().resolve("config.pb"), config.toByteArray());
            save(sandbox);
            sandboxes.put(id, sandbox);
            if (ownsCgroup) {
                Cgroups.ofThisHost().create(cgroup);
                applyPodLimits(cgroup, config.getLinux().getResources());
            }
            long t1 = System.nanoTime();
            namespaces.create(id, config.getHostname(), hostNetwork, sharedPid(config), cgroup);
            long t2 = System.nanoTime();
            String ip = "";
            if (!hostNetwork) {
                sandbox = update(sandbox, sandbox.record().withNetwork(true, ""));
                ip = network.add(id, sandbox.netns(), ports);
            }
            sandbox = update(sandbox, sandbox.record().withNetwork(!hostNetwork, ip).withReady(true));
            long t3 = System.nanoTime();
            SandboxFiles.write(sandbox);
            long t4 = System.nanoTime();
            LOG.info("sandbox {} ({}/{}) ready, ip {}, in {} ms (cgroup {}, namespaces {}, network {}, files {})", id,
                    config.getMetadata().getNamespace(), config.getMetadata().getName(), ip, (t4 - t0) / 1_000_000, (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
            return sandbox;
        } catch (RuntimeException | IOException e) {
            LOG.warn("sandbox {} failed to start, cleaning up: {}", id, e.getMessage());
            try {
                remove(id);
            } catch (RuntimeException cleanup) {
                LOG.warn("cleanup of sandbox {} failed: {}", id, cleanup.getMessage());
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    private static void validate(PodSandboxConfig config, String runtimeHandler) {
        if (!config.hasMetadata() || config.getMetadata().getName().isEmpty()
                || config.getMetadata().getNamespace().isEmpty() || config.getMetadata().getUid().isEmpty()) {
            throw new IllegalArgumentException("sandbox config must have metadata with name, namespace and uid");
        }
        if (!runtimeHandler.isEmpty() && !runtimeHandler.equals("runc")) {
            throw new IllegalArgumentException("unknown runtime handler \"" + runtimeHandler + "\" (only runc is available)");
        }
    }

    private static void applyPodLimits(String cgroup, LinuxContainerResources resources) {
        if (resources.getMemoryLimitInBytes() > 0) {
            Cgroups.ofThisHost().write("memory", cgroup, "memory.limit_in_bytes", Long.toString(resources.getMemoryLimitInBytes()));
        }
        if (resources.getCpuShares() > 0) {
            Cgroups.ofThisHost().write("cpu", cgroup, "cpu.shares", Long.toString(resources.getCpuShares()));
        }
        if (resources.getCpuPeriod() > 0) {
            Cgroups.ofThisHost().write("cpu", cgroup, "cpu.cfs_period_us", Long.toString(resources.getCpuPeriod()));
        }
        if (resources.getCpuQuota() > 0) {
            Cgroups.ofThisHost().write("cpu", cgroup, "cpu.cfs_quota_us", Long.toString(resources.getCpuQuota()));
        }
    }

    /**
     * Tears down the network and marks the sandbox not ready; the caller stops its containers first.
     * Idempotent, as the kubelet calls it more than once.
     */
    public synchronized void stop(String id) {
        Sandbox sandbox = sandboxes.get(id);
        if (sandbox == null) {
            return;
        }
        if (sandbox.record().networkAttached()) {
            try {
                network.delete(id, sandbox.netns(), sandbox.record().portMappings());
            } catch (RuntimeException e) {
                // A failed DEL must not keep the sandbox alive forever; the IP lease is in our own data dir.
                LOG.warn("network teardown of sandbox {} failed: {}", id, e.getMessage());
            }
            sandbox = update(sandbox, sandbox.record().withNetwork(false, sandbox.record().ip()));
        }
        namespaces.remove(id);
        if (sandbox.ready()) {
            update(sandbox, sandbox.record().withReady(false));
        }
    }

    /** Removes everything the sandbox owns; the caller removes its containers first. Idempotent. */
    public synchronized void remove(String id) {
        Sandbox sandbox = sandboxes.get(id);
        if (sandbox == null) {
            return;
        }
        stop(id);
        if (sandbox.record().ownsCgroup()) {
            Cgroups.ofThisHost().remove(sandbox.record().cgroupParent());
        }
        FileTrees.deleteRecursively(sandbox.dir());
        sandboxes.remove(id);
        LOG.info("sandbox {} removed", id);
    }

    /** Finds a sandbox by full ID or unique prefix. */
    public Sandbox get(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("pod sandbox ID is empty");
        }
        Sandbox exact = sandboxes.get(id);
        if (exact != null) {
            return exact;
        }
        List<Sandbox> matches = sandboxes.values().stream().filter(s -> s.id().startsWith(id)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new SandboxNotFoundException(id);
    }

    public boolean exists(String id) {
        try {
            get(id);
            return true;
        } catch (SandboxNotFoundException e) {
            return false;
        }
    }

    /** Sandbox ID -> network namespace of every sandbox attached to the pod network. */
    public Map<String, Path> attachedNetworks() {
        Map<String, Path> attached = new java.util.HashMap<>();
        for (Sandbox sandbox : sandboxes.values()) {
            if (sandbox.record().networkAttached() && sandbox.netns() != null) {
                attached.put(sandbox.id(), sandbox.netns());
            }
        }
        return attached;
    }

    public Collection<Sandbox> list() {
        return new ArrayList<>(sandboxes.values());
    }

    private Sandbox update(Sandbox sandbox, SandboxRecord record) {
        Sandbox updated = sandbox(record, sandbox.config());
        save(updated);
        sandboxes.put(record.id(), updated);
        return updated;
    }

    private static void save(Sandbox sandbox) {
        Json.write(sandbox.dir().resolve("sandbox.json"), sandbox.record());
    }

    public CniNetwork network() {
        return network;
    }

    static long now() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}

package io.kube4j.runtime.oci;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import io.kube4j.cri.v1.ContainerConfig;
import io.kube4j.cri.v1.Device;
import io.kube4j.cri.v1.KeyValue;
import io.kube4j.cri.v1.LinuxContainerResources;
import io.kube4j.cri.v1.LinuxContainerSecurityContext;
import io.kube4j.cri.v1.Mount;
import io.kube4j.cri.v1.MountPropagation;
import io.kube4j.cri.v1.NamespaceMode;
import io.kube4j.cri.v1.SupplementalGroupsPolicy;
import io.kube4j.runtime.image.ImageConfig;
import io.kube4j.runtime.sandbox.Sandbox;
import io.kube4j.runtime.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Turns a CRI container config, its sandbox and its image into an OCI runtime spec (config.json). */
public final class OciSpecBuilder {
    /** Docker's and containerd's default capability set. */
    static final List<String> DEFAULT_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    /** Every capability Linux names, in number order (CAP_CHOWN is 0). */
    static final List<String> ALL_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
            "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN",
            "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
            "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");
    /** What a privileged container gets: every capability this kernel has, as containerd's WithAllCurrentCapabilities. */
    static final List<String> KERNEL_CAPABILITIES = ALL_CAPABILITIES.subList(0, Math.min(ALL_CAPABILITIES.size(), lastCap() + 1));
    static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final ContainerConfig config;
    private final Sandbox sandbox;
    private final ImageConfig image;
    private final Path rootfs;
    private final String cgroupsPath;
    private final Function<String, Long> targetPid;

    /**
     * @param targetPid the init PID of a container in the same pod, for a TARGET pid namespace
     */
    public OciSpecBuilder(ContainerConfig config, Sandbox sandbox, ImageConfig image, Path rootfs, String cgroupsPath,
                          Function<String, Long> targetPid) {
        this.config = config;
        this.sandbox = sandbox;
        this.image = image;
        this.rootfs = rootfs;
        this.cgroupsPath = cgroupsPath;
        this.targetPid = targetPid;
    }

    public ObjectNode build() {
        LinuxContainerSecurityContext security = config.getLinux().getSecurityContext();
        ObjectNode spec = Json.object();
        spec.put("ociVersion", "1.0.2-dev");
        spec.set("process", process(security));
        ObjectNode root = spec.putObject("root");
        root.put("path", rootfs.toString());
        root.put("readonly", security.getReadonlyRootfs());
        // No "hostname": the pod's UTS namespace already carries it (or it is the node's).
        spec.set("mounts", mounts(security));
        spec.set("linux", linux(security));
        return spec;
    }

    private ObjectNode process(LinuxContainerSecurityContext security) {
        ObjectNode process = Json.object();
        process.put("terminal", config.getTty());
        UserResolver.ResolvedUser user = user(security);
        ObjectNode userNode = process.putObject("user");
        userNode.put("uid", user.uid());
        userNode.put("gid", user.gid());
        // Strict: only the groups asked for, not those the image's /etc/group gives the user
        Set<Long> groups = new LinkedHashSet<>(security.getSupplementalGroupsPolicy() == SupplementalGroupsPolicy.Strict
                ? List.of() : user.groups());
        groups.addAll(security.getSupplementalGroupsList());
        ArrayNode additional = userNode.putArray("additionalGids");
        groups.stream().filter(g -> g != user.gid()).forEach(additional::add);
        ArrayNode args = process.putArray("args");
        arguments().forEach(args::add);
        ArrayNode env = process.putArray("env");
        environment().forEach(env::add);
        String cwd = !config.getWorkingDir().isEmpty() ? config.getWorkingDir()
                : !image.workingDir().isEmpty() ? image.workingDir() : "/";
        process.put("cwd", cwd);
        process.set("capabilities", capabilities(security));
        process.put("noNewPrivileges", security.getNoNewPrivs());
        // No CAP_SYS_RESOURCE here: a negative score cannot be set, and a container must never be favoured.
        process.put("oomScoreAdj", Math.max(0, config.getLinux().getResources().getOomScoreAdj()));
        return process;
    }

    private UserResolver.ResolvedUser user(LinuxContainerSecurityContext security) {
        UserResolver resolver = new UserResolver(rootfs);
        UserResolver.ResolvedUser user;
        if (security.hasRunAsUser()) {
            user = resolver.resolveUid(security.getRunAsUser().getValue(), null);
        } else if (!security.getRunAsUsername().isEmpty()) {
            user = resolver.resolve(security.getRunAsUsername());
        } else {
            user = resolver.resolve(image.user());
        }
        if (security.hasRunAsGroup()) {
            user = new UserResolver.ResolvedUser(user.uid(), security.getRunAsGroup().getValue(), user.groups());
        }
        return user;
    }

    /** Kubernetes semantics: command replaces Entrypoint (and drops Cmd), args replace Cmd. */
    List<String> arguments() {
        List<String> args = new ArrayList<>();
        if (config.getCommandCount() > 0) {
            args.addAll(config.getCommandList());
            args.addAll(config.getArgsList());
        } else {
            args.addAll(image.entrypoint());
            args.addAll(config.getArgsCount() > 0 ? config.getArgsList() : image.cmd());
        }
        if (args.isEmpty()) {
            throw new IllegalArgumentException("container " + config.getMetadata().getName()
                    + " has no command: neither the config nor the image gives one");
        }
        return args;
    }

    private List<String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH.substring(5));
        if (config.getTty()) {
            // containerd's WithTTY: a terminal says what it is, unless the image or the container names another
            env.put("TERM", "xterm");
        }
        for (String entry : image.env()) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        if (!sandbox.hostname().isEmpty()) {
            env.put("HOSTNAME", sandbox.hostname());
        }
        for (KeyValue kv : config.getEnvsList()) {
            env.put(kv.getKey(), kv.getValue());
        }
        List<String> result = new ArrayList<>();
        env.forEach((k, v) -> result.add(k + "=" + v));
        return result;
    }

    /**
     * containerd's: the default set unless privileged (all), then an "ALL" in add or drop, then the single adds, then
     * the single drops - so drop ALL + add NET_BIND_SERVICE keeps that one. Bounding, effective and permitted alike (a
     * non-root process loses the effective ones at exec anyway, having no ambient or file capabilities).
     */
    static Set<String> capabilitySet(LinuxContainerSecurityContext security) {
        if (security.getPrivileged()) {
            return new LinkedHashSet<>(KERNEL_CAPABILITIES);
        }
        Set<String> caps = new LinkedHashSet<>(DEFAULT_CAPABILITIES);
        var asked = security.getCapabilities();
        if (asked.getAddCapabilitiesList().stream().anyMatch(c -> c.equalsIgnoreCase("ALL"))) {
            caps.addAll(KERNEL_CAPABILITIES);
        }
        if (asked.getDropCapabilitiesList().stream().anyMatch(c -> c.equalsIgnoreCase("ALL"))) {
            caps.clear();
        }
        asked.getAddCapabilitiesList().stream().filter(c -> !c.equalsIgnoreCase("ALL")).forEach(c -> caps.add(capName(c)));
        asked.getDropCapabilitiesList().stream().filter(c -> !c.equalsIgnoreCase("ALL")).forEach(c -> caps.remove(capName(c)));
        return caps;
    }

    private ObjectNode capabilities(LinuxContainerSecurityContext security) {
        Set<String> caps = capabilitySet(security);
        ObjectNode node = Json.object();
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode array = node.putArray(set);
            caps.forEach(array::add);
        }
        ArrayNode ambient = node.putArray("ambient");
        security.getCapabilities().getAddAmbientCapabilitiesList().forEach(c -> ambient.add(capName(c)));
        return node;
    }

    /** The kernel's highest capability number (/proc/sys/kernel/cap_last_cap); CAP_AUDIT_READ's when unreadable. */
    private static int lastCap() {
        try {
            // by lines: Files.readString trusts the size procfs reports and returns a single digit of "40"
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return 37;
        }
    }

    private static String capName(String cap) {
        String upper = cap.toUpperCase(Locale.ROOT);
        return upper.startsWith("CAP_") ? upper : "CAP_" + upper;
    }

    private ArrayNode mounts(LinuxContainerSecurityContext security) {
        ArrayNode mounts = Json.MAPPER.createArrayNode();
        Set<String> requested = new LinkedHashSet<>();
        config.getMountsList().forEach(m -> requested.add(clean(m.getContainerPath())));
        boolean privileged = security.getPrivileged();
        mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(mounts, "/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", privileged ? "rw" : "ro"));
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", privileged ? "rw" : "ro"));
        if (!requested.contains("/dev/shm")) {
            mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        }
        bindIfAbsent(mounts, requested, "/etc/hostname", sandbox.hostnameFile(), false);
        bindIfAbsent(mounts, requested, "/etc/hosts", sandbox.hostsFile(), false);
        bindIfAbsent(mounts, requested, "/etc/resolv.conf", sandbox.resolvConf(), false);
        List<Mount> ordered = new ArrayList<>(config.getMountsList());
        // Parents before children, or a later mount would hide an earlier one.
        ordered.sort(Comparator.comparingInt(m -> clean(m.getContainerPath()).split("/").length));
        for (Mount m : ordered) {
            mounts.add(bind(m));
        }
        return mounts;
    }

    private ObjectNode bind(Mount m) {
        if (m.hasImage() && !m.getImage().getImage().isEmpty()) {
            throw new IllegalArgumentException("image volume mounts are not supported (mount at " + m.getContainerPath() + ")");
        }
        String destination = clean(m.getContainerPath());
        if (!destination.startsWith("/")) {
            throw new IllegalArgumentException("mount destination \"" + m.getContainerPath() + "\" is not an absolute path");
        }
        Path source = Path.of(m.getHostPath());
        if (m.getHostPath().isEmpty() || !Files.exists(source)) {
            throw new IllegalArgumentException("cannot mount \"" + m.getHostPath() + "\" at " + destination
                    + ": the host path does not exist");
        }
        try {
            source = source.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve host path " + m.getHostPath() + ": " + e.getMessage());
        }
        List<String> options = new ArrayList<>(List.of("rbind"));
        options.add(m.getReadonly() ? "ro" : "rw");
        options.add(propagation(m.getPropagation()));
        ObjectNode node = Json.object();
        node.put("destination", destination);
        node.put("type", "bind");
        node.put("source", source.toString());
        ArrayNode opts = node.putArray("options");
        options.forEach(opts::add);
        return node;
    }

    private static String propagation(MountPropagation propagation) {
        return switch (propagation) {
            case PROPAGATION_HOST_TO_CONTAINER -> "rslave";
            case PROPAGATION_BIDIRECTIONAL -> "rshared";
            default -> "rprivate";
        };
    }

    private static void bindIfAbsent(ArrayNode mounts, Set<String> requested, String destination, Path source, boolean readonly) {
        if (!requested.contains(destination) && Files.exists(source)) {
            mount(mounts, destination, "bind", source.toString(), List.of("rbind", "rprivate", readonly ? "ro" : "rw"));
        }
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> options) {
        ObjectNode node = mounts.addObject();
        node.put("destination", destination);
        node.put("type", type);
        node.put("source", source);
        ArrayNode opts = node.putArray("options");
        options.forEach(opts::add);
    }

    private static String clean(String path) {
        String cleaned = path.replaceAll("/+", "/");
        return cleaned.length() > 1 && cleaned.endsWith("/") ? cleaned.substring(0, cleaned.length() - 1) : cleaned;
    }

    private ObjectNode linux(LinuxContainerSecurityContext security) {
        ObjectNode linux = Json.object();
        linux.put("cgroupsPath", cgroupsPath);
        linux.set("namespaces", namespaces(security));
        linux.set("resources", resources(config.getLinux().getResources(), security.getPrivileged()));
        ObjectNode sysctl = linux.putObject("sysctl");
        sandbox.config().getLinux().getSysctlsMap().forEach(sysctl::put);
        ArrayNode devices = linux.putArray("devices");
        ArrayNode rules = (ArrayNode) linux.path("resources").path("devices");
        for (Device device : config.getDevicesList()) {
            ObjectNode node = device(device);
            devices.add(node);
            ObjectNode allow = rules.addObject();
            allow.put("allow", true);
            allow.put("type", node.path("type").asString(""));
            allow.put("major", node.path("major").asLong(0));
            allow.put("minor", node.path("minor").asLong(0));
            allow.put("access", device.getPermissions().isEmpty() ? "rwm" : device.getPermissions());
        }
        var seccomp = SeccompProfiles.forContainer(security);
        if (seccomp != null) {
            linux.set("seccomp", seccomp);
        }
        if (!security.getPrivileged()) {
            ArrayNode masked = linux.putArray("maskedPaths");
            (security.getMaskedPathsCount() > 0 ? security.getMaskedPathsList() : MASKED_PATHS).forEach(masked::add);
            ArrayNode readonly = linux.putArray("readonlyPaths");
            (security.getReadonlyPathsCount() > 0 ? security.getReadonlyPathsList() : READONLY_PATHS).forEach(readonly::add);
        }
        return linux;
    }

    private ArrayNode namespaces(LinuxContainerSecurityContext security) {
        ArrayNode namespaces = Json.MAPPER.createArrayNode();
        namespaces.addObject().put("type", "mount");
        NamespaceMode pid = security.getNamespaceOptions().getPid();
        if (pid == NamespaceMode.TARGET) {
            Long target = targetPid.apply(security.getNamespaceOptions().getTargetId());
            namespaces.addObject().put("type", "pid").put("path", "/proc/" + target + "/ns/pid");
        } else if (pid == NamespaceMode.POD && sandbox.pidns() != null) {
            // shareProcessNamespace: the pod's one PID namespace, whose PID 1 is the sandbox's infra process
            namespaces.addObject().put("type", "pid").put("path", sandbox.pidns().toString());
        } else if (pid != NamespaceMode.NODE) {
            namespaces.addObject().put("type", "pid");
        }
        if (security.getNamespaceOptions().getIpc() != NamespaceMode.NODE) {
            namespaces.addObject().put("type", "ipc").put("path", sandbox.ipcns().toString());
        }
        if (sandbox.netns() != null) {
            namespaces.addObject().put("type", "network").put("path", sandbox.netns().toString());
            namespaces.addObject().put("type", "uts").put("path", sandbox.utsns().toString());
        }
        return namespaces;
    }

    static ObjectNode resources(LinuxContainerResources r, boolean privileged) {
        ObjectNode resources = Json.object();
        ArrayNode devices = resources.putArray("devices");
        ObjectNode rule = devices.addObject();
        rule.put("allow", privileged);
        rule.put("access", "rwm");
        if (r.getMemoryLimitInBytes() > 0) {
            ObjectNode memory = resources.putObject("memory");
            memory.put("limit", r.getMemoryLimitInBytes());
            if (r.getMemorySwapLimitInBytes() > 0) {
                memory.put("swap", r.getMemorySwapLimitInBytes());
            }
        }
        ObjectNode cpu = Json.object();
        if (r.getCpuShares() > 0) {
            cpu.put("shares", r.getCpuShares());
        }
        if (r.getCpuQuota() > 0) {
            cpu.put("quota", r.getCpuQuota());
        }
        if (r.getCpuPeriod() > 0) {
            cpu.put("period", r.getCpuPeriod());
        }
        if (!r.getCpusetCpus().isEmpty()) {
            cpu.put("cpus", r.getCpusetCpus());
        }
        if (!r.getCpusetMems().isEmpty()) {
            cpu.put("mems", r.getCpusetMems());
        }
        if (!cpu.isEmpty()) {
            resources.set("cpu", cpu);
        }
        return resources;
    }

    private static ObjectNode device(Device device) {
        Path host = Path.of(device.getHostPath());
        try {
            int mode = (Integer) Files.getAttribute(host, "unix:mode");
            long rdev = (Long) Files.getAttribute(host, "unix:rdev");
            String type = (mode & 0170000) == 0020000 ? "c" : (mode & 0170000) == 0060000 ? "b" : null;
            if (type == null) {
                throw new IllegalArgumentException("\"" + device.getHostPath() + "\" is not a device");
            }
            ObjectNode node = Json.object();
            node.put("path", device.getContainerPath());
            node.put("type", type);
            // Linux dev_t: major in bits 8-19 (and 32+), minor in bits 0-7 and 20-31.
            node.put("major", ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL));
            node.put("minor", (rdev & 0xff) | ((rdev >> 12) & ~0xffL));
            node.put("fileMode", mode & 07777);
            node.put("uid", 0);
            node.put("gid", 0);
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("device \"" + device.getHostPath() + "\" does not exist on the node");
        }
    }
}

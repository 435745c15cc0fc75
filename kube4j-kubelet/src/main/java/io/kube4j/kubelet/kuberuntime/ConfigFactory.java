package io.kube4j.kubelet.kuberuntime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.cri.v1.ContainerConfig;
import io.kube4j.cri.v1.ContainerMetadata;
import io.kube4j.cri.v1.DNSConfig;
import io.kube4j.cri.v1.ImageSpec;
import io.kube4j.cri.v1.KeyValue;
import io.kube4j.cri.v1.LinuxContainerConfig;
import io.kube4j.cri.v1.LinuxPodSandboxConfig;
import io.kube4j.cri.v1.Mount;
import io.kube4j.cri.v1.NamespaceMode;
import io.kube4j.cri.v1.NamespaceOption;
import io.kube4j.cri.v1.PodSandboxConfig;
import io.kube4j.cri.v1.PodSandboxMetadata;
import io.kube4j.cri.v1.PortMapping;
import io.kube4j.cri.v1.Protocol;
import io.kube4j.kubelet.cm.ContainerResources;
import io.kube4j.kubelet.cm.PodResources;
import io.kube4j.kubelet.cm.QosClasses;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Builds CRI sandbox and container configs from a Pod, as upstream's kuberuntime_sandbox.go / kuberuntime_container.go. */
public final class ConfigFactory {
    private final Path podLogDir;
    private final List<String> clusterDns;
    private final String clusterDomain;
    private final Path seccompRoot;

    public ConfigFactory(Path podLogDir) {
        this(podLogDir, List.of(), "cluster.local");
    }

    public ConfigFactory(Path podLogDir, List<String> clusterDns, String clusterDomain) {
        this(podLogDir, clusterDns, clusterDomain, Path.of("/var/lib/kubelet/seccomp"));
    }

    /** @param seccompRoot where Localhost seccomp profiles are looked up (upstream's {@code <root-dir>/seccomp}) */
    public ConfigFactory(Path podLogDir, List<String> clusterDns, String clusterDomain, Path seccompRoot) {
        this.podLogDir = podLogDir;
        this.clusterDns = clusterDns;
        this.clusterDomain = clusterDomain;
        this.seccompRoot = seccompRoot;
    }

    public Path podLogDirectory(Pod pod) {
        var m = pod.getMetadata();
        return podLogDir.resolve(m.getNamespace() + "_" + m.getName() + "_" + m.getUid());
    }

    /** The pod's host name and domain in this cluster. */
    public PodHostname hostname(Pod pod) {
        return PodHostname.of(pod, clusterDomain);
    }

    public PodSandboxConfig sandbox(Pod pod, int attempt, String cgroupParent) {
        var m = pod.getMetadata();
        var spec = pod.getSpec();
        String hostname = hostname(pod).hostname();
        PodSandboxConfig.Builder b = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(m.getName()).setNamespace(m.getNamespace())
                        .setUid(m.getUid()).setAttempt(attempt))
                .setHostname(hostname)
                .setLogDirectory(podLogDirectory(pod).toString())
                .putAllLabels(m.getLabels() == null ? Map.of() : m.getLabels())
                .putLabels(Labels.POD_NAME, m.getName())
                .putLabels(Labels.POD_NAMESPACE, m.getNamespace())
                .putLabels(Labels.POD_UID, m.getUid())
                .putAllAnnotations(m.getAnnotations() == null ? Map.of() : m.getAnnotations());
        DNSConfig dns = dns(pod);
        if (dns != null) {
            b.setDnsConfig(dns);
        }
        for (Container c : spec.getContainers()) {
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort p : c.getPorts()) {
                b.addPortMappings(PortMapping.newBuilder()
                        .setProtocol(protocol(p.getProtocol()))
                        .setContainerPort(p.getContainerPort())
                        .setHostPort(p.getHostPort() == null ? 0 : p.getHostPort())
                        .setHostIp(p.getHostIP() == null ? "" : p.getHostIP()));
            }
        }
        LinuxPodSandboxConfig.Builder linux = LinuxPodSandboxConfig.newBuilder().setSecurityContext(SecurityContexts.sandbox(pod));
        if (cgroupParent != null) {
            linux.setCgroupParent(cgroupParent);
        }
        sandboxResources(pod, linux);
        b.setLinux(linux);
        return b.build();
    }

    /**
     * Upstream's applySandboxResources: the pod's own requests and limits and, apart, its overhead (as requests equal
     * to limits), so a runtime that sizes the pod's cgroup itself (a VM-based one) can add what the sandbox costs.
     */
    private static void sandboxResources(Pod pod, LinuxPodSandboxConfig.Builder linux) {
        Map<String, BigDecimal> requests = PodResources.requests(pod, false);
        Map<String, BigDecimal> limits = PodResources.limits(pod, false);
        linux.setResources(ContainerResources.linux(ContainerResources.milli(requests.get("cpu")),
                ContainerResources.milli(limits.get("cpu")), ContainerResources.bytes(limits.get("memory"))));
        Map<String, BigDecimal> overhead = PodResources.overhead(pod);
        if (!overhead.isEmpty()) {
            long cpu = ContainerResources.milli(overhead.get("cpu"));
            linux.setOverhead(ContainerResources.linux(cpu, cpu, ContainerResources.bytes(overhead.get("memory"))));
        }
    }

    /**
     * Upstream's dnsPolicy: ClusterFirst (the default) uses the cluster DNS with the namespace search path, unless
     * no cluster DNS is configured or the pod is on the host network (then the node's resolv.conf, i.e. no config);
     * None uses only spec.dnsConfig; dnsConfig entries are appended.
     */
    DNSConfig dns(Pod pod) {
        var spec = pod.getSpec();
        String policy = spec.getDnsPolicy() == null ? "ClusterFirst" : spec.getDnsPolicy();
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        boolean cluster = !clusterDns.isEmpty() && (policy.equals("ClusterFirstWithHostNet")
                || (policy.equals("ClusterFirst") && !hostNetwork));
        DNSConfig.Builder d = DNSConfig.newBuilder();
        if (cluster) {
            String ns = pod.getMetadata().getNamespace();
            d.addAllServers(clusterDns)
                    .addSearches(ns + ".svc." + clusterDomain).addSearches("svc." + clusterDomain).addSearches(clusterDomain)
                    .addOptions("ndots:5");
        }
        var extra = spec.getDnsConfig();
        if (extra != null) {
            if (extra.getNameservers() != null) {
                d.addAllServers(extra.getNameservers());
            }
            if (extra.getSearches() != null) {
                d.addAllSearches(extra.getSearches());
            }
            if (extra.getOptions() != null) {
                extra.getOptions().forEach(o -> d.addOptions(o.getValue() == null ? o.getName() : o.getName() + ":" + o.getValue()));
            }
        }
        if (!cluster && extra == null) {
            return null;
        }
        return d.build();
    }

    private static Protocol protocol(String p) {
        if ("UDP".equals(p)) {
            return Protocol.UDP;
        }
        if ("SCTP".equals(p)) {
            return Protocol.SCTP;
        }
        return Protocol.TCP;
    }

    public ContainerConfig container(Pod pod, Container c, int restartCount, Map<String, String> env, List<Mount> mounts) {
        var m = pod.getMetadata();
        ContainerConfig.Builder b = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(c.getName()).setAttempt(restartCount))
                .setImage(ImageSpec.newBuilder().setImage(c.getImage()))
                .setLogPath(c.getName() + "/" + restartCount + ".log")
                .setStdin(Boolean.TRUE.equals(c.getStdin()))
                .setStdinOnce(Boolean.TRUE.equals(c.getStdinOnce()))
                .setTty(Boolean.TRUE.equals(c.getTty()))
                .putLabels(Labels.POD_NAME, m.getName())
                .putLabels(Labels.POD_NAMESPACE, m.getNamespace())
                .putLabels(Labels.POD_UID, m.getUid())
                .putLabels(Labels.CONTAINER_NAME, c.getName())
                .putAnnotations(Labels.CONTAINER_HASH, hash(c))
                .putAnnotations(Labels.RESTART_COUNT, Integer.toString(restartCount))
                .putAnnotations(Labels.TERMINATION_MESSAGE_PATH, Objects.requireNonNullElse(c.getTerminationMessagePath(), "/dev/termination-log"))
                .putAnnotations(Labels.TERMINATION_MESSAGE_POLICY, Objects.requireNonNullElse(c.getTerminationMessagePolicy(), "File"))
                .putAnnotations(Labels.GRACE_PERIOD, Long.toString(gracePeriod(pod)))
                .addAllMounts(mounts);
        if (c.getCommand() != null) {
            b.addAllCommand(expand(c.getCommand(), env));
        }
        if (c.getArgs() != null) {
            b.addAllArgs(expand(c.getArgs(), env));
        }
        if (c.getWorkingDir() != null) {
            b.setWorkingDir(c.getWorkingDir());
        }
        env.forEach((k, v) -> b.addEnvs(KeyValue.newBuilder().setKey(k).setValue(v)));
        b.setLinux(LinuxContainerConfig.newBuilder().setResources(ContainerResources.toCri(c, QosClasses.of(pod)))
                .setSecurityContext(SecurityContexts.container(pod, c, seccompRoot)));
        return b.build();
    }

    /**
     * {@code config} joining the PID namespace of the container {@code targetId} (CRI's NamespaceMode TARGET), the
     * pod's other namespaces as its sandbox has them: an ephemeral container with a targetContainerName, whose
     * {@code ps} then shows the target's processes.
     */
    public static ContainerConfig withPidOf(ContainerConfig config, PodSandboxConfig sandbox, String targetId) {
        NamespaceOption namespaces = sandbox.getLinux().getSecurityContext().getNamespaceOptions().toBuilder()
                .setPid(NamespaceMode.TARGET).setTargetId(targetId).build();
        ContainerConfig.Builder b = config.toBuilder();
        b.getLinuxBuilder().getSecurityContextBuilder().setNamespaceOptions(namespaces);
        return b.build();
    }

    private static List<String> expand(List<String> args, Map<String, String> env) {
        return args.stream().map(a -> io.kube4j.kubelet.env.EnvResolver.expand(a, env)).toList();
    }

    public static long gracePeriod(Pod pod) {
        Long g = pod.getSpec().getTerminationGracePeriodSeconds();
        return g == null ? 30 : g;
    }

    /** Covers what may change on a running pod (the image); a changed hash means the container is replaced. */
    public static String hash(Container c) {
        String key = c.getName() + "\0" + c.getImage() + "\0" + c.getCommand() + "\0" + c.getArgs() + "\0" + c.getWorkingDir();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

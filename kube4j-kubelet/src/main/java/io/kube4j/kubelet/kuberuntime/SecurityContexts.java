package io.kube4j.kubelet.kuberuntime;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.kube4j.cri.v1.Capability;
import io.kube4j.cri.v1.Image;
import io.kube4j.cri.v1.Int64Value;
import io.kube4j.cri.v1.LinuxContainerSecurityContext;
import io.kube4j.cri.v1.LinuxSandboxSecurityContext;
import io.kube4j.cri.v1.NamespaceMode;
import io.kube4j.cri.v1.NamespaceOption;
import io.kube4j.cri.v1.SELinuxOption;
import io.kube4j.cri.v1.SecurityProfile;
import io.kube4j.cri.v1.SupplementalGroupsPolicy;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The CRI security contexts of a pod and its containers, as upstream's kuberuntime security_context.go and
 * pkg/securitycontext: the container's securityContext over the pod's (runAsUser, runAsGroup, runAsNonRoot,
 * seLinuxOptions), the pod's groups (fsGroup, then supplementalGroups), noNewPrivs from allowPrivilegeEscalation, and
 * the masked and read-only /proc paths unless procMount is Unmasked. The runtime resolves the image's user when no
 * runAsUser is given.
 */
public final class SecurityContexts {
    /** Upstream's defaultMaskedPaths (kept in sync with moby's; powercap since 1.31). */
    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    private SecurityContexts() {
    }

    /** Upstream's NamespacesForPod: the node's namespaces for host* pods, one PID namespace per container by default. */
    public static NamespaceOption namespaces(Pod pod) {
        var spec = pod.getSpec();
        return NamespaceOption.newBuilder()
                .setNetwork(Boolean.TRUE.equals(spec.getHostNetwork()) ? NamespaceMode.NODE : NamespaceMode.POD)
                .setPid(Boolean.TRUE.equals(spec.getHostPID()) ? NamespaceMode.NODE
                        : Boolean.TRUE.equals(spec.getShareProcessNamespace()) ? NamespaceMode.POD : NamespaceMode.CONTAINER)
                .setIpc(Boolean.TRUE.equals(spec.getHostIPC()) ? NamespaceMode.NODE : NamespaceMode.POD)
                .build();
    }

    /**
     * The sandbox's: the pod's user, groups and SELinux label, and privileged when any container is - containerd refuses
     * a privileged container in a sandbox that is not.
     */
    public static LinuxSandboxSecurityContext sandbox(Pod pod) {
        LinuxSandboxSecurityContext.Builder b = LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(namespaces(pod))
                .setPrivileged(hasPrivilegedContainer(pod));
        PodSecurityContext psc = pod.getSpec().getSecurityContext();
        if (psc != null) {
            if (psc.getRunAsUser() != null) {
                b.setRunAsUser(Int64Value.newBuilder().setValue(psc.getRunAsUser()));
            }
            if (psc.getRunAsGroup() != null) {
                b.setRunAsGroup(Int64Value.newBuilder().setValue(psc.getRunAsGroup()));
            }
            b.addAllSupplementalGroups(podGroups(psc));
            if ("Strict".equals(psc.getSupplementalGroupsPolicy())) {
                b.setSupplementalGroupsPolicy(SupplementalGroupsPolicy.Strict);
            }
            if (psc.getSeLinuxOptions() != null) {
                b.setSelinuxOptions(selinux(psc.getSeLinuxOptions()));
            }
        }
        return b.build();
    }

    /**
     * The container's: its securityContext over the pod's.
     *
     * @param seccompRoot where Localhost seccomp profiles are (upstream's {@code <root-dir>/seccomp})
     */
    public static LinuxContainerSecurityContext container(Pod pod, Container c, Path seccompRoot) {
        PodSecurityContext psc = pod.getSpec().getSecurityContext();
        SecurityContext sc = c.getSecurityContext();
        LinuxContainerSecurityContext.Builder b = LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(namespaces(pod));
        Long runAsUser = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : psc == null ? null : psc.getRunAsUser();
        if (runAsUser != null) {
            b.setRunAsUser(Int64Value.newBuilder().setValue(runAsUser));
        }
        Long runAsGroup = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup() : psc == null ? null : psc.getRunAsGroup();
        if (runAsGroup != null) {
            b.setRunAsGroup(Int64Value.newBuilder().setValue(runAsGroup));
        }
        SELinuxOptions selinux = sc != null && sc.getSeLinuxOptions() != null ? sc.getSeLinuxOptions()
                : psc == null ? null : psc.getSeLinuxOptions();
        if (selinux != null) {
            b.setSelinuxOptions(selinux(selinux));
        }
        if (sc != null) {
            Capabilities caps = sc.getCapabilities();
            if (caps != null) {
                b.setCapabilities(Capability.newBuilder()
                        .addAllAddCapabilities(caps.getAdd() == null ? List.of() : caps.getAdd())
                        .addAllDropCapabilities(caps.getDrop() == null ? List.of() : caps.getDrop()));
            }
            b.setPrivileged(Boolean.TRUE.equals(sc.getPrivileged()));
            b.setReadonlyRootfs(Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()));
            // upstream's AddNoNewPrivileges: only an explicit allowPrivilegeEscalation: false sets it
            b.setNoNewPrivs(Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()));
        }
        if (psc != null) {
            b.addAllSupplementalGroups(podGroups(psc));
            if ("Strict".equals(psc.getSupplementalGroupsPolicy())) {
                b.setSupplementalGroupsPolicy(SupplementalGroupsPolicy.Strict);
            }
        }
        boolean unmasked = sc != null && "Unmasked".equals(sc.getProcMount());
        if (!unmasked) {
            b.addAllMaskedPaths(MASKED_PATHS).addAllReadonlyPaths(READONLY_PATHS);
        }
        SeccompProfile seccomp = sc != null && sc.getSeccompProfile() != null ? sc.getSeccompProfile()
                : psc == null ? null : psc.getSeccompProfile();
        b.setSeccomp(seccomp(seccomp, seccompRoot));
        return b.build();
    }

    /**
     * Upstream's verifyRunAsNonRoot: a container whose effective runAsNonRoot is true may not run as uid 0 - its
     * runAsUser, or else the image's user, which must then be numeric to be checked (an image without a user runs as
     * root).
     *
     * @param image the image as the runtime's ImageStatus reports it (uid or username); asked only when it decides
     * @return why the container may not start (a CreateContainerConfigError), or null
     */
    public static String runAsNonRootViolation(Pod pod, Container c, Supplier<Image> image) {
        PodSecurityContext psc = pod.getSpec().getSecurityContext();
        SecurityContext sc = c.getSecurityContext();
        Boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : psc == null ? null : psc.getRunAsNonRoot();
        if (!Boolean.TRUE.equals(nonRoot)) {
            return null;
        }
        var m = pod.getMetadata();
        String where = "(pod: \"" + m.getName() + "_" + m.getNamespace() + "(" + m.getUid() + ")\", container: " + c.getName() + ")";
        Long runAsUser = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : psc == null ? null : psc.getRunAsUser();
        if (runAsUser != null) {
            return runAsUser == 0 ? "container's runAsUser breaks non-root policy " + where : null;
        }
        Image img = image.get();
        if (!img.hasUid() && !img.getUsername().isEmpty()) {
            return "container has runAsNonRoot and image has non-numeric user (" + img.getUsername()
                    + "), cannot verify user is non-root " + where;
        }
        return !img.hasUid() || img.getUid().getValue() == 0 ? "container has runAsNonRoot and image will run as root " + where : null;
    }

    /** The pod's fsGroup, then its supplementalGroups, as upstream appends them. */
    private static List<Long> podGroups(PodSecurityContext psc) {
        return Stream.concat(psc.getFsGroup() == null ? Stream.<Long>empty() : Stream.of(psc.getFsGroup()),
                psc.getSupplementalGroups() == null ? Stream.<Long>empty() : psc.getSupplementalGroups().stream()).toList();
    }

    /** Upstream's getSeccompProfile with the kubelet's default (no --seccomp-default): Unconfined when none is given. */
    private static SecurityProfile seccomp(SeccompProfile profile, Path seccompRoot) {
        String type = profile == null ? null : profile.getType();
        if ("RuntimeDefault".equals(type)) {
            return SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault).build();
        }
        if ("Localhost".equals(type) && profile.getLocalhostProfile() != null) {
            return SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.Localhost)
                    .setLocalhostRef(seccompRoot.resolve(profile.getLocalhostProfile()).toString()).build();
        }
        return SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.Unconfined).build();
    }

    private static SELinuxOption selinux(SELinuxOptions o) {
        return SELinuxOption.newBuilder().setUser(nullToEmpty(o.getUser())).setRole(nullToEmpty(o.getRole()))
                .setType(nullToEmpty(o.getType())).setLevel(nullToEmpty(o.getLevel())).build();
    }

    private static boolean hasPrivilegedContainer(Pod pod) {
        Stream<SecurityContext> all = Stream.concat(pod.getSpec().getContainers().stream(),
                        pod.getSpec().getInitContainers() == null ? Stream.empty() : pod.getSpec().getInitContainers().stream())
                .map(Container::getSecurityContext);
        Stream<SecurityContext> ephemeral = EphemeralContainers.of(pod).stream().map(EphemeralContainer::getSecurityContext);
        return Stream.concat(all, ephemeral).anyMatch(sc -> sc != null && Boolean.TRUE.equals(sc.getPrivileged()));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

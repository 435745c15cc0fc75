package io.kube4j.runtime.oci;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import io.kube4j.cri.v1.LinuxContainerSecurityContext;
import io.kube4j.cri.v1.SecurityProfile;
import io.kube4j.runtime.util.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The seccomp filter a container asks for: none, the runtime default, or a profile file on the node. */
final class SeccompProfiles {
    /**
     * RuntimeDefault: what Docker's default profile denies to a container without extra
     * capabilities (kernel modules, clocks, keyrings, namespaces, mounts, tracing...), as a deny list.
     * Names the kernel does not have on this architecture are skipped by runc.
     */
    static final List<String> DENIED = List.of("acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "create_module",
            "delete_module", "finit_module", "fsconfig", "fsmount", "fsopen", "fspick", "get_kernel_syms", "get_mempolicy",
            "init_module", "ioperm", "iopl", "kcmp", "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie", "mbind",
            "mount", "move_mount", "move_pages", "name_to_handle_at", "nfsservctl", "open_by_handle_at", "open_tree",
            "perf_event_open", "pivot_root", "process_vm_readv", "process_vm_writev", "ptrace", "query_module", "quotactl",
            "reboot", "request_key", "set_mempolicy", "setns", "settimeofday", "swapoff", "swapon", "sysfs", "syslog",
            "_sysctl", "umount", "umount2", "unshare", "uselib", "userfaultfd", "ustat", "vm86", "vm86old");

    private SeccompProfiles() {
    }

    /** The linux.seccomp section, or null for none. */
    static JsonNode forContainer(LinuxContainerSecurityContext security) {
        if (security.getPrivileged()) {
            return null;
        }
        if (security.hasSeccomp()) {
            SecurityProfile profile = security.getSeccomp();
            return switch (profile.getProfileType()) {
                case RuntimeDefault -> runtimeDefault();
                case Localhost -> localhost(profile.getLocalhostRef());
                default -> null;
            };
        }
        String legacy = security.getSeccompProfilePath();
        if (legacy.equals("runtime/default") || legacy.equals("docker/default")) {
            return runtimeDefault();
        }
        if (legacy.startsWith("localhost/")) {
            return localhost(legacy.substring("localhost/".length()));
        }
        return null;
    }

    static ObjectNode runtimeDefault() {
        ObjectNode seccomp = Json.object();
        seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
        ArrayNode architectures = seccomp.putArray("architectures");
        List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32").forEach(architectures::add);
        ObjectNode denied = seccomp.putArray("syscalls").addObject();
        ArrayNode names = denied.putArray("names");
        DENIED.forEach(names::add);
        denied.put("action", "SCMP_ACT_ERRNO");
        denied.put("errnoRet", 1);
        return seccomp;
    }

    private static JsonNode localhost(String path) {
        Path file = Path.of(path);
        if (!file.isAbsolute() || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("seccomp profile \"" + path + "\" is not a file on the node");
        }
        return Json.read(file);
    }
}

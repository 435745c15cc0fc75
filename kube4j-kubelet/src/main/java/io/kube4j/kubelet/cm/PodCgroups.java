package io.kube4j.kubelet.cm;

import io.fabric8.kubernetes.api.model.Pod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The pod-level cgroups (cgroup v1, cgroupfs driver): {@code /kubepods/pod<uid>} for Guaranteed,
 * {@code /kubepods/burstable/pod<uid>} and {@code /kubepods/besteffort/pod<uid>} otherwise. The runtime puts each
 * container under it (the sandbox's cgroup_parent), so the pod's memory limit caps all its containers together.
 */
public final class PodCgroups {
    private static final Logger LOG = LoggerFactory.getLogger(PodCgroups.class);
    private static final List<String> CONTROLLERS = List.of("memory", "cpu", "pids");

    private final Path root;
    private final String kubepods;

    public PodCgroups(Path root, String kubepods) {
        this.root = root;
        this.kubepods = kubepods;
    }

    public String parentOf(Pod pod) {
        String qos = QosClasses.of(pod);
        String uid = pod.getMetadata().getUid();
        return switch (qos) {
            case QosClasses.GUARANTEED -> "/" + kubepods + "/pod" + uid;
            default -> "/" + kubepods + "/" + qos.toLowerCase(Locale.ROOT) + "/pod" + uid;
        };
    }

    /** Creates the pod cgroup and sets its limits; on a machine without writable cgroups it only logs. */
    public void ensure(Pod pod) {
        String parent = parentOf(pod);
        PodCgroupConfig config = PodCgroupConfig.forPod(pod);
        for (String controller : CONTROLLERS) {
            Path dir = root.resolve(controller).resolve(parent.substring(1));
            if (!Files.isDirectory(root.resolve(controller))) {
                continue;
            }
            try {
                Files.createDirectories(dir);
                if (controller.equals("memory") && config.memoryLimit() != null) {
                    write(dir.resolve("memory.limit_in_bytes"), Long.toString(config.memoryLimit()));
                }
                if (controller.equals("cpu")) {
                    write(dir.resolve("cpu.shares"), Long.toString(config.cpuShares()));
                    if (config.cpuQuota() != null) {
                        write(dir.resolve("cpu.cfs_period_us"), Long.toString(ContainerResources.QUOTA_PERIOD));
                        write(dir.resolve("cpu.cfs_quota_us"), Long.toString(config.cpuQuota()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot set up cgroup {}: {}", dir, e.toString());
            }
        }
    }

    /**
     * Removes the pod cgroup once its containers are gone, in every hierarchy: runc creates the parent path in all
     * of them, and the runtime removes only the containers' leaves.
     */
    public void remove(Pod pod) {
        String parent = parentOf(pod);
        List<Path> hierarchies;
        try (var list = Files.list(root)) {
            hierarchies = list.toList();
        } catch (IOException e) {
            return;
        }
        for (Path hierarchy : hierarchies) {
            Path dir = hierarchy.resolve(parent.substring(1));
            try {
                removeTree(dir);
            } catch (IOException e) {
                LOG.debug("cannot remove cgroup {}: {}", dir, e.toString());
            }
        }
    }

    private static void removeTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var children = Files.list(dir)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                removeTree(child);
            }
        }
        Files.deleteIfExists(dir); // cgroupfs: rmdir of a cgroup with only control files
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value);
    }
}

package io.kube4j.kubelet.cm;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.host.cgroup.Cgroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The pod-level cgroups (cgroup v1, cgroupfs driver): {@code /kubepods/pod<uid>} for Guaranteed,
 * {@code /kubepods/burstable/pod<uid>} and {@code /kubepods/besteffort/pod<uid>} otherwise, in the hierarchies
 * {@link Cgroups} finds mounted. The runtime puts each container under it (the sandbox's cgroup_parent), so the pod's
 * memory limit caps all its containers together.
 */
public final class PodCgroups {
    private static final Logger LOG = LoggerFactory.getLogger(PodCgroups.class);

    private final Cgroups cgroups;
    private final String kubepods;

    public PodCgroups(Cgroups cgroups, String kubepods) {
        this.cgroups = cgroups;
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

    /**
     * Creates the pod cgroup and sets its limits in the mounted controllers; on a machine without writable cgroups it
     * only logs.
     */
    public void ensure(Pod pod) {
        String parent = parentOf(pod);
        PodCgroupConfig config = PodCgroupConfig.forPod(pod);
        cgroups.create(parent);
        if (config.memoryLimit() != null) {
            set("memory", parent, "memory.limit_in_bytes", config.memoryLimit());
        }
        set("cpu", parent, "cpu.shares", config.cpuShares());
        if (config.cpuQuota() != null) {
            set("cpu", parent, "cpu.cfs_period_us", ContainerResources.QUOTA_PERIOD);
            set("cpu", parent, "cpu.cfs_quota_us", config.cpuQuota());
        }
    }

    private void set(String controller, String cgroup, String file, long value) {
        if (cgroups.dir(controller, cgroup).isEmpty()) {
            return; // not mounted here
        }
        try {
            cgroups.write(controller, cgroup, file, Long.toString(value));
        } catch (RuntimeException e) {
            LOG.debug("cannot set {} of cgroup {}: {}", file, cgroup, e.toString());
        }
    }

    /**
     * Removes the pod cgroup once its containers are gone, in every hierarchy: runc creates the parent path in all
     * of them, and the runtime removes only the containers' leaves.
     */
    public void remove(Pod pod) {
        cgroups.remove(parentOf(pod));
    }
}

package io.kube4j.kubelet.cm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.cri.v1.LinuxContainerResources;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** Requests and limits to the CRI's Linux resources, with upstream's conversions (pkg/kubelet/cm/helpers_linux.go). */
public final class ContainerResources {
    public static final long MIN_SHARES = 2;
    public static final long MAX_SHARES = 262144;
    public static final long QUOTA_PERIOD = 100_000;
    public static final long MIN_QUOTA = 1000;

    private ContainerResources() {
    }

    public static LinuxContainerResources toCri(Container c, String qosClass) {
        Map<String, Quantity> requests = QosClasses.requests(c);
        Map<String, Quantity> limits = QosClasses.limits(c);
        long cpuRequestMilli = milli(requests.getOrDefault("cpu", limits.get("cpu")));
        long cpuLimitMilli = milli(limits.get("cpu"));
        LinuxContainerResources.Builder b = linux(cpuRequestMilli, cpuLimitMilli, bytes(limits.get("memory")));
        long oomScoreAdj = oomScoreAdj(qosClass, bytes(requests.getOrDefault("memory", limits.get("memory"))));
        if (oomScoreAdj > 0) {
            b.setOomScoreAdj(oomScoreAdj);
        }
        return b.build();
    }

    /**
     * CPU shares from the request (the limit when there is no request), a CFS quota from a CPU limit and a memory
     * limit: upstream's calculateLinuxResources, for a container, a pod sandbox or a pod's overhead.
     */
    public static LinuxContainerResources.Builder linux(long cpuRequestMilli, long cpuLimitMilli, long memoryLimitBytes) {
        LinuxContainerResources.Builder b = LinuxContainerResources.newBuilder()
                .setCpuShares(milliToShares(cpuRequestMilli > 0 ? cpuRequestMilli : cpuLimitMilli));
        if (cpuLimitMilli > 0) {
            b.setCpuPeriod(QUOTA_PERIOD).setCpuQuota(milliToQuota(cpuLimitMilli));
        }
        if (memoryLimitBytes > 0) {
            b.setMemoryLimitInBytes(memoryLimitBytes);
        }
        return b;
    }

    public static long milliToShares(long milli) {
        if (milli <= 0) {
            return MIN_SHARES;
        }
        long shares = milli * 1024 / 1000;
        return Math.max(MIN_SHARES, Math.min(MAX_SHARES, shares));
    }

    public static long milliToQuota(long milli) {
        return Math.max(MIN_QUOTA, milli * QUOTA_PERIOD / 1000);
    }

    /**
     * Upstream gives Guaranteed pods -997; this machine may not lower an oom_score_adj (no CAP_SYS_RESOURCE), so
     * Guaranteed keeps the default and only the others are made likelier victims.
     */
    static long oomScoreAdj(String qosClass, long memoryRequest) {
        if (QosClasses.BEST_EFFORT.equals(qosClass)) {
            return 1000;
        }
        if (QosClasses.GUARANTEED.equals(qosClass)) {
            return 0;
        }
        long capacity = MachineMemory.totalBytes();
        long adj = capacity <= 0 ? 2 : 1000 - (1000 * memoryRequest) / capacity;
        return Math.max(2, Math.min(999, adj));
    }

    public static long milli(Quantity q) {
        return q == null ? 0 : milli(q.getNumericalAmount());
    }

    /** Cores to millicores, rounded up as upstream's MilliValue; 0 for null. */
    public static long milli(BigDecimal cores) {
        return cores == null ? 0 : cores.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValue();
    }

    public static long bytes(Quantity q) {
        return q == null ? 0 : bytes(q.getNumericalAmount());
    }

    /** Rounded up as upstream's Value; 0 for null. */
    public static long bytes(BigDecimal amount) {
        return amount == null ? 0 : amount.setScale(0, RoundingMode.CEILING).longValue();
    }
}

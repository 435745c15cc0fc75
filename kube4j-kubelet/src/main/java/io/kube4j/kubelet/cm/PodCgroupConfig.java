package io.kube4j.kubelet.cm;

import io.fabric8.kubernetes.api.model.Pod;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What the pod-level cgroup is given (upstream's ResourceConfigForPod): CPU shares from the pod's requests, and a CFS
 * quota and a memory limit from its limits - each only when every container limits that resource, since one
 * unlimited container leaves the pod unlimited. Requests and limits include {@code spec.overhead}, so a RuntimeClass
 * whose sandbox costs memory (a VM, a gVisor sentry) does not eat into what the containers were promised.
 * BestEffort pods get the minimum shares and no limits.
 *
 * @param cpuQuota    microseconds per {@link ContainerResources#QUOTA_PERIOD}; null: unlimited
 * @param memoryLimit bytes; null: unlimited
 */
public record PodCgroupConfig(long cpuShares, Long cpuQuota, Long memoryLimit) {

    public static PodCgroupConfig forPod(Pod pod) {
        String qos = QosClasses.of(pod);
        if (QosClasses.BEST_EFFORT.equals(qos)) {
            return new PodCgroupConfig(ContainerResources.MIN_SHARES, null, null);
        }
        Map<String, BigDecimal> requests = PodResources.requests(pod, true);
        Map<String, BigDecimal> limits = PodResources.limits(pod, true);
        long shares = ContainerResources.milliToShares(ContainerResources.milli(requests.get("cpu")));
        long cpuLimit = ContainerResources.milli(limits.get("cpu"));
        long memoryLimit = ContainerResources.bytes(limits.get("memory"));
        boolean guaranteed = QosClasses.GUARANTEED.equals(qos);
        Long quota = (guaranteed || PodResources.limitDeclared(pod, "cpu")) && cpuLimit > 0
                ? ContainerResources.milliToQuota(cpuLimit) : null;
        Long memory = (guaranteed || PodResources.limitDeclared(pod, "memory")) && memoryLimit > 0 ? memoryLimit : null;
        return new PodCgroupConfig(shares, quota, memory);
    }
}

package io.kube4j.kubelet.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kube4j.kubelet.kuberuntime.PodRuntimeState;

import java.time.Instant;
import java.util.Map;

/**
 * Everything a pod's status is computed from.
 *
 * @param waiting        per container name: why it is not running, as the pod worker last saw it
 * @param terminalReason when set (e.g. DeadlineExceeded), the pod is Failed with this reason and message
 * @param terminationMessages per container ID: what an exited container left in its termination message file
 * @param reported       the status this kubelet last set for the pod (sent or on its way), or null: the pod at hand
 *                       may predate it (the watch has not delivered our own write yet), and its start time and condition transition
 *                       times are what the next status must keep, as upstream's status manager cache
 */
public record StatusInput(Pod pod, PodRuntimeState runtime, Map<String, Waiting> waiting, ContainerHealth health,
                          String hostIp, String runtimeName, Instant now, Waiting terminalReason,
                          Map<String, String> terminationMessages, PodStatus reported) {
}

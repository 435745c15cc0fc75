package io.kube4j.kubelet.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.kubelet.kuberuntime.PodRuntimeState;

import java.time.Instant;
import java.util.Map;

/**
 * Everything a pod's status is computed from.
 *
 * @param waiting        per container name: why it is not running, as the pod worker last saw it
 * @param terminalReason when set (e.g. DeadlineExceeded), the pod is Failed with this reason and message
 * @param terminationMessages per container ID: what an exited container left in its termination message file
 */
public record StatusInput(Pod pod, PodRuntimeState runtime, Map<String, Waiting> waiting, ContainerHealth health,
                          String hostIp, String runtimeName, Instant now, Waiting terminalReason,
                          Map<String, String> terminationMessages) {
}

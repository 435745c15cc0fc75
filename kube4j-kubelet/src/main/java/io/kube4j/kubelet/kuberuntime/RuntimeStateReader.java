package io.kube4j.kubelet.kuberuntime;

import io.kube4j.cri.v1.Container;
import io.kube4j.cri.v1.ContainerState;
import io.kube4j.cri.v1.ContainerStatus;
import io.kube4j.cri.v1.PodSandbox;
import io.kube4j.cri.v1.PodSandboxState;
import io.kube4j.cri.v1.PodSandboxStatus;
import io.kube4j.kubelet.cri.RuntimeClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a pod's state from the runtime. Exited containers never change, so their statuses are cached, as is a
 * sandbox's address (it keeps it for its whole life): a sync of a steady pod costs two list calls.
 */
public final class RuntimeStateReader {
    private final RuntimeClient cri;
    private final Map<String, ContainerStatus> exitedStatuses = new ConcurrentHashMap<>();
    private final Map<String, PodSandboxStatus> sandboxStatuses = new ConcurrentHashMap<>();

    public RuntimeStateReader(RuntimeClient cri) {
        this.cri = cri;
    }

    public PodRuntimeState read(String podUid) {
        Map<String, String> selector = Map.of(Labels.POD_UID, podUid);
        List<PodSandbox> sandboxes = cri.listPodSandboxes(selector);
        List<RuntimeContainer> containers = new ArrayList<>();
        for (Container c : cri.listContainers(selector)) {
            ContainerStatus status = exitedStatuses.get(c.getId());
            if (status == null) {
                try {
                    status = cri.containerStatus(c.getId());
                } catch (io.grpc.StatusRuntimeException e) {
                    if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                        continue; // removed between list and status
                    }
                    throw e;
                }
                if (status.getState() == ContainerState.CONTAINER_EXITED) {
                    exitedStatuses.put(c.getId(), status);
                }
            }
            containers.add(RuntimeContainer.of(c.getPodSandboxId(), status));
        }
        PodRuntimeState state = new PodRuntimeState(sandboxes, containers, "", List.of());
        String ip = "";
        List<String> ips = List.of();
        PodSandbox latest = state.latestSandbox().orElse(null);
        if (latest != null && latest.getState() == PodSandboxState.SANDBOX_READY) {
            PodSandboxStatus status = sandboxStatuses.computeIfAbsent(latest.getId(), cri::podSandboxStatus);
            ip = status.getNetwork().getIp();
            List<String> all = new ArrayList<>();
            if (!ip.isEmpty()) {
                all.add(ip);
            }
            status.getNetwork().getAdditionalIpsList().forEach(a -> all.add(a.getIp()));
            ips = all;
        }
        return new PodRuntimeState(state.sandboxes(), state.containers(), ip, ips);
    }

    public void forgetContainer(String id) {
        exitedStatuses.remove(id);
    }

    public void forgetSandbox(String id) {
        sandboxStatuses.remove(id);
    }
}

package io.kube4j.kubelet.kuberuntime;

import io.kube4j.cri.v1.PodSandbox;
import io.kube4j.cri.v1.PodSandboxState;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What the runtime holds for one pod: its sandboxes (newest first) and their containers (newest first). */
public record PodRuntimeState(List<PodSandbox> sandboxes, List<RuntimeContainer> containers, String podIp, List<String> podIps) {

    public static final PodRuntimeState EMPTY = new PodRuntimeState(List.of(), List.of(), "", List.of());

    public PodRuntimeState {
        sandboxes = sandboxes.stream().sorted(Comparator.comparingLong(PodSandbox::getCreatedAt).reversed()).toList();
        containers = containers.stream().sorted(Comparator.comparingLong(RuntimeContainer::createdAt).reversed()).toList();
    }

    public Optional<PodSandbox> latestSandbox() {
        return sandboxes.stream().findFirst();
    }

    public Optional<PodSandbox> readySandbox() {
        return latestSandbox().filter(s -> s.getState() == PodSandboxState.SANDBOX_READY);
    }

    public int nextSandboxAttempt() {
        return sandboxes.stream().mapToInt(s -> s.getMetadata().getAttempt() + 1).max().orElse(0);
    }

    /** The newest container of that name, in any sandbox. */
    public Optional<RuntimeContainer> latest(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The newest container of that name in the given sandbox. */
    public Optional<RuntimeContainer> latestIn(String sandboxId, String name) {
        return containers.stream().filter(c -> c.name().equals(name) && c.sandboxId().equals(sandboxId)).findFirst();
    }

    /** The instance before the newest: its termination is the lastState. */
    public Optional<RuntimeContainer> previous(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).skip(1).findFirst();
    }

    public List<RuntimeContainer> running() {
        return containers.stream().filter(RuntimeContainer::running).toList();
    }

    public boolean hasRunning() {
        return containers.stream().anyMatch(c -> c.running() || c.created());
    }
}

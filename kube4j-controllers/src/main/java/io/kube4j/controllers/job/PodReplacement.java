package io.kube4j.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kube4j.controllers.util.Pods;

/**
 * A Job's spec.podReplacementPolicy (upstream 1.32's JobPodReplacementPolicy, on by default): with
 * {@code TerminatingOrFailed} (the default) a pod being deleted already counts as failed and is replaced at once;
 * with {@code Failed} (the default, and the only value allowed, when a podFailurePolicy is set) it is neither
 * replaced nor counted until it reaches phase Failed, so a replacement never runs beside a pod still terminating.
 */
final class PodReplacement {
    static final String FAILED = "Failed";

    private PodReplacement() {
    }

    /** Upstream's onlyReplaceFailedPods: a podFailurePolicy needs the pod's final phase to match its rules. */
    static boolean onlyReplaceFailed(Job job) {
        return FAILED.equals(job.getSpec().getPodReplacementPolicy()) || job.getSpec().getPodFailurePolicy() != null;
    }

    /** Upstream's isPodFailed: phase Failed, or, unless only failed pods are replaced, deleted before it succeeded. */
    static boolean consideredFailed(Job job, Pod pod) {
        String phase = Pods.phase(pod);
        if ("Failed".equals(phase)) {
            return true;
        }
        if (onlyReplaceFailed(job)) {
            return false;
        }
        // a deleted pod may never reach phase Failed (an orphan, a lost node): it counts as failed once deleted
        return pod.getMetadata().getDeletionTimestamp() != null && !"Succeeded".equals(phase);
    }

    /** Upstream's terminating pods: being deleted and not yet in a terminal phase. */
    static boolean terminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null && !Pods.isTerminal(pod);
    }
}

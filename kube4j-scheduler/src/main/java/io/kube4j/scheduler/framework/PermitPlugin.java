package io.kube4j.scheduler.framework;

import java.time.Duration;

/** Approves, rejects or delays the binding of a pod. */
public interface PermitPlugin extends Plugin {
    Result permit(CycleState state, PodInfo pod, String nodeName);

    /** A {@link Code#WAIT} status must come with a timeout. */
    record Result(Status status, Duration timeout) {
        public static Result allow() { return new Result(Status.success(), Duration.ZERO); }
    }
}

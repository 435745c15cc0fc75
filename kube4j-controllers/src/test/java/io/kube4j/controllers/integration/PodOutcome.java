package io.kube4j.controllers.integration;

/** What the fake kubelet makes of a pod it runs. */
enum PodOutcome {
    /** Running and Ready. */
    RUN,
    /** Its container exits 1: phase Failed. */
    FAIL,
    /** Its container exits 0: phase Succeeded. */
    SUCCEED
}

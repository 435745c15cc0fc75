package io.kube4j.scheduler.framework;

/** Outcome codes of a plugin call, as upstream's framework.Code. */
public enum Code {
    SUCCESS,
    ERROR,
    /** The pod does not fit now; preemption or a cluster change may help. */
    UNSCHEDULABLE,
    /** The pod does not fit and preemption cannot help on this node. */
    UNSCHEDULABLE_AND_UNRESOLVABLE,
    /** Permit: the pod must wait. */
    WAIT,
    /** The plugin has nothing to do for this pod (PreFilter/PreScore/Bind). */
    SKIP
}

package io.kube4j.scheduler.framework;

/** Cluster changes that can make an unschedulable pod schedulable. */
public enum ClusterEvent {
    NODE_ADD, NODE_UPDATE, NODE_DELETE,
    ASSIGNED_POD_ADD, ASSIGNED_POD_UPDATE, ASSIGNED_POD_DELETE,
    UNSCHEDULED_POD_UPDATE,
    PVC_CHANGE, PV_CHANGE, STORAGE_CLASS_CHANGE,
    /** Periodic flush or an unknown cause: moves every pod. */
    WILDCARD
}

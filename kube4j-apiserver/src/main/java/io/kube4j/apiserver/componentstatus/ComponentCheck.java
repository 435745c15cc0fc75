package io.kube4j.apiserver.componentstatus;

/** A control-plane component the API server reports on, and how to find out now whether it is healthy. */
public interface ComponentCheck {

    /** The ComponentStatus name: {@code scheduler}, {@code controller-manager}, {@code etcd-0}. */
    String name();

    /** Checks the component now; never throws (a failed check is an unhealthy or unknown answer). */
    ComponentHealth check();
}

package io.kube4j.apiserver.componentstatus;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.store.Store;

import java.time.Clock;
import java.util.List;

/**
 * The master components kube4j reports, as upstream's API server lists its scheduler, controller manager and etcd
 * servers: the scheduler and controller manager by their default leader-election Leases, the store as
 * {@code etcd-0}.
 */
public final class ComponentStatuses {

    private ComponentStatuses() {
    }

    public static ComponentStatusApi api(ResourceRegistry registry, Store store, ObjectLookup lookup, Clock clock) {
        ResourceType type = registry.find("", "v1", "componentstatuses").orElseThrow(
                () -> new IllegalStateException("v1 componentstatuses is not in the resource registry"));
        return new ComponentStatusApi(type, List.of(
                new LeaseHealthCheck("scheduler", "scheduler", "kube-system", "kube-scheduler", lookup, clock),
                new LeaseHealthCheck("controller-manager", "controller manager", "kube-system",
                        "kube-controller-manager", lookup, clock),
                new StoreHealthCheck(store)));
    }
}

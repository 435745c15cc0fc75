package io.kube4j.apiserver.componentstatus;

import io.kube4j.store.Store;

/**
 * The store, reported as upstream reports each etcd server ({@code etcd-0}): healthy when a read answers, as
 * upstream's etcd check reads the key {@code health}. With the etcd backend the read goes to the cluster; with the
 * embedded store it checks the store is open and serving.
 */
public final class StoreHealthCheck implements ComponentCheck {

    private final Store store;

    public StoreHealthCheck(Store store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "etcd-0";
    }

    @Override
    public ComponentHealth check() {
        try {
            store.get("health");
            return ComponentHealth.healthy();
        } catch (RuntimeException e) {
            return ComponentHealth.unhealthy(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}

package io.kube4j.store.etcd;

import io.kube4j.store.Store;

import java.net.URI;
import java.util.List;

/** Placeholder until the etcd backend lands. */
public final class EtcdStore {
    public static Store connect(List<URI> endpoints) {
        throw new UnsupportedOperationException("the etcd store is not built yet");
    }
}

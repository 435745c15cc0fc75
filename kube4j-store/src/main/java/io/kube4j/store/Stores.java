package io.kube4j.store;

import io.kube4j.store.embedded.EmbeddedStore;
import io.kube4j.store.embedded.EmbeddedStoreOptions;
import io.kube4j.store.etcd.EtcdStore;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the store a {@code --store} flag names: {@code embedded} (the default, under the data directory)
 * or {@code etcd://host:port[,host:port...]} (a real etcd cluster).
 */
public final class Stores {
    public static final String EMBEDDED = "embedded";

    private Stores() {
    }

    public static Store open(String spec, Path dataDir) {
        return open(spec, dataDir, EmbeddedStoreOptions.defaults());
    }

    /** As {@link #open(String, Path)}, the embedded backend tuned by {@code embedded} (etcd ignores it). */
    public static Store open(String spec, Path dataDir, EmbeddedStoreOptions embedded) {
        if (spec == null || spec.isBlank() || spec.equals(EMBEDDED)) {
            if (dataDir == null) {
                throw new IllegalArgumentException("the embedded store needs a data directory: pass --data-dir DIR");
            }
            return EmbeddedStore.open(dataDir.resolve("store"), embedded);
        }
        if (spec.startsWith("etcd://")) {
            return EtcdStore.connect(etcdEndpoints(spec));
        }
        throw new IllegalArgumentException("unknown store '" + spec
                + "': use --store embedded or --store etcd://host:port[,host:port...]");
    }

    /** Parses {@code etcd://h1:p1,h2:p2} into {@code http://h1:p1, http://h2:p2}. */
    public static List<URI> etcdEndpoints(String spec) {
        String rest = spec.substring("etcd://".length());
        List<URI> endpoints = new ArrayList<>();
        for (String hostPort : rest.split(",")) {
            String hp = hostPort.trim();
            int colon = hp.lastIndexOf(':');
            if (hp.isEmpty() || colon <= 0 || colon == hp.length() - 1) {
                throw new IllegalArgumentException("bad etcd endpoint '" + hp + "' in --store " + spec
                        + ": expected host:port");
            }
            try {
                int port = Integer.parseInt(hp.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in etcd endpoint '" + hp + "': expected 1-65535");
            }
            endpoints.add(URI.create("http://" + hp));
        }
        return endpoints;
    }
}

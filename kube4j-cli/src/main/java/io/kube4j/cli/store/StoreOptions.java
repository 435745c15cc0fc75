package io.kube4j.cli.store;

import io.kube4j.store.Store;
import io.kube4j.store.Stores;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where a store lives: a data directory (embedded backend) or an etcd cluster. Shared by every command. */
public final class StoreOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "kube4j data directory (embedded store under DIR/store)")
    Path dataDir;

    @Option(names = "--store", paramLabel = "SPEC",
            description = "embedded (default) or etcd://host:port[,host:port...]")
    String store = Stores.EMBEDDED;

    public Path dataDir() {
        return dataDir;
    }

    /** Where the store is, for messages. */
    public String describe() {
        return Stores.EMBEDDED.equals(store) ? "embedded, " + dataDir.resolve("store") : store;
    }

    public Store open() {
        if (Stores.EMBEDDED.equals(store) && dataDir == null) {
            throw new IllegalArgumentException("no store given: pass --data-dir DIR or --store etcd://host:port");
        }
        return Stores.open(store, dataDir);
    }
}

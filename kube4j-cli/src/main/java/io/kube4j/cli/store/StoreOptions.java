package io.kube4j.cli.store;

import io.kube4j.store.Store;
import io.kube4j.store.Stores;
import io.kube4j.store.embedded.EmbeddedStoreOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;

/** Where a store lives: a data directory (embedded backend) or an etcd cluster. Shared by every command. */
public final class StoreOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "kube4j data directory (embedded store under DIR/store)")
    Path dataDir;

    @Option(names = "--store", paramLabel = "SPEC",
            description = "embedded (default) or etcd://host:port[,host:port...]")
    String store = Stores.EMBEDDED;

    /** Null unless given: the store's own default then, and nothing to refuse with etcd. */
    @Option(names = "--store-history-revisions", paramLabel = "N", converter = PositiveRevisions.class,
            description = "revisions of history the embedded store keeps before it compacts on its own, as etcd's "
                    + "--auto-compaction-mode=revision --auto-compaction-retention=N (it compacts to the newest minus"
                    + " N once 2N have gathered; default: " + EmbeddedStoreOptions.DEFAULT_HISTORY_REVISIONS
                    + "; not for --store etcd://, which compacts by its own flags)")
    Long historyRevisions;

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
        EmbeddedStoreOptions embedded = EmbeddedStoreOptions.defaults();
        if (historyRevisions != null) {
            if (!Stores.EMBEDDED.equals(store)) {
                throw new IllegalArgumentException("--store-history-revisions is for the embedded store: etcd "
                        + "compacts by its own --auto-compaction-retention");
            }
            embedded = embedded.withHistoryRevisions(historyRevisions);
        }
        return Stores.open(store, dataDir, embedded);
    }

    /** The history bound: a whole number of at least 1 (0 would leave the heap to grow with the history). */
    static final class PositiveRevisions implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                long n = Long.parseLong(value.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // answered below, with the rest
            }
            throw new TypeConversionException("'" + value + "' is not a number of revisions of at least 1");
        }
    }
}

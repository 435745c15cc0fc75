package io.kube4j.cli.store;

import io.kube4j.store.DeleteResult;
import io.kube4j.store.KeyValue;
import io.kube4j.store.ListResult;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import io.kube4j.store.WatchEvent;
import io.kube4j.store.WatchListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code kube4j store}: read and write the cluster store directly, for debugging and before the API server. */
@Command(name = "store", description = "Read and write the store directly (embedded data directory or etcd).",
        mixinStandardHelpOptions = true)
public final class StoreCommand {

    @Command(name = "get", description = "Print the value of KEY.")
    int get(@Mixin StoreOptions where,
            @Parameters(paramLabel = "KEY") String key,
            @Option(names = "--rev", description = "read at this revision (default: latest)") long rev,
            @Option(names = {"-v", "--verbose"}, description = "also print revisions") boolean verbose) {
        try (Store store = where.open()) {
            Optional<KeyValue> kv = store.get(key, rev);
            if (kv.isEmpty()) {
                System.err.println("kube4j store get: key not found: " + key);
                return 1;
            }
            print(System.out, kv.get(), verbose);
            return 0;
        }
    }

    @Command(name = "list", description = "List keys starting with PREFIX.")
    int list(@Mixin StoreOptions where,
             @Parameters(paramLabel = "PREFIX", defaultValue = "") String prefix,
             @Option(names = "--rev", description = "read at this revision (default: latest)") long rev,
             @Option(names = "--limit", description = "at most this many keys (default: all)") long limit,
             @Option(names = "--keys-only", description = "print only the keys") boolean keysOnly) {
        try (Store store = where.open()) {
            ListResult page = store.list(prefix, rev, null, limit);
            for (KeyValue kv : page.items()) {
                if (keysOnly) {
                    System.out.println(kv.key());
                } else {
                    print(System.out, kv, true);
                }
            }
            if (page.more()) {
                System.err.println("(" + page.remaining() + " more keys; raise --limit)");
            }
            return 0;
        }
    }

    @Command(name = "put", description = "Set KEY to VALUE (VALUE '-' reads standard input).")
    int put(@Mixin StoreOptions where,
            @Parameters(paramLabel = "KEY") String key,
            @Parameters(paramLabel = "VALUE") String value) throws IOException {
        byte[] bytes = "-".equals(value) ? System.in.readAllBytes() : value.getBytes(StandardCharsets.UTF_8);
        try (Store store = where.open()) {
            KeyValue written;
            try {
                written = store.create(key, bytes, Store.NO_LEASE);
            } catch (StoreException.KeyExists exists) {
                written = store.update(key, bytes, Store.ANY_REVISION, Store.NO_LEASE);
            }
            System.out.println("OK revision " + written.modRevision());
            return 0;
        }
    }

    @Command(name = "del", description = "Delete KEY.")
    int del(@Mixin StoreOptions where, @Parameters(paramLabel = "KEY") String key) {
        try (Store store = where.open()) {
            DeleteResult deleted = store.delete(key, Store.ANY_REVISION);
            System.out.println("deleted revision " + deleted.revision());
            return 0;
        }
    }

    @Command(name = "compact", description = "Forget history below REVISION.")
    int compact(@Mixin StoreOptions where, @Parameters(paramLabel = "REVISION") long revision) {
        try (Store store = where.open()) {
            store.compact(revision);
            System.out.println("compacted at revision " + revision);
            return 0;
        }
    }

    @Command(name = "watch", description = "Print changes to keys starting with PREFIX until interrupted.")
    int watch(@Mixin StoreOptions where,
              @Parameters(paramLabel = "PREFIX", defaultValue = "") String prefix,
              @Option(names = "--rev", description = "replay from this revision (default: from now)") long rev)
            throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        int[] code = {0};
        try (Store store = where.open();
             var ignored = store.watch(prefix, rev, new WatchListener() {
                 @Override
                 public void onEvent(WatchEvent event) {
                     synchronized (System.out) {
                         System.out.print(event.type() + " ");
                         print(System.out, event.kv(), true);
                     }
                 }

                 @Override
                 public void onError(StoreException error) {
                     System.err.println("kube4j store watch: " + error.getMessage());
                     code[0] = 1;
                     ended.countDown();
                 }
             })) {
            System.err.println("watching '" + prefix + "' (Ctrl-C to stop)");
            ended.await();
            return code[0];
        }
    }

    private static void print(PrintStream out, KeyValue kv, boolean verbose) {
        if (verbose) {
            out.println(kv.key() + " (create=" + kv.createRevision() + " mod=" + kv.modRevision()
                    + " version=" + kv.version() + (kv.lease() != 0 ? " lease=" + kv.lease() : "") + ")");
            if (kv.value() != null) {
                out.println(kv.valueAsString());
            }
        } else {
            out.println(kv.valueAsString());
        }
    }
}

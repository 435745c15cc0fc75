package io.kube4j.store.embedded;

import io.kube4j.store.KeyValue;
import io.kube4j.store.Store;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Run as a child JVM by {@link CrashTest}: writes from several threads until killed, printing every
 * acknowledged write as {@code C|U key revision .} (the trailing dot marks a whole line).
 * Args: data directory, round, threads.
 */
public final class CrashWriterMain {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String round = args[1];
        int threads = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false);
        EmbeddedStore store = EmbeddedStore.open(dir, EmbeddedStoreOptions.defaults()
                .withSnapshotEveryWrites(300).withSegmentBytes(64 * 1024));
        if (store.get("/crash/hot").isEmpty()) {
            store.create("/crash/hot", new byte[]{0}, Store.NO_LEASE);
        }
        synchronized (out) {
            out.println("READY " + store.currentRevision() + " .");
            out.flush();
        }
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (long n = 0; ; n++) {
                    byte[] value = new byte[random.nextInt(10, 800)];
                    random.nextBytes(value);
                    String line;
                    if (n % 5 == 4) {
                        KeyValue kv = store.update("/crash/hot", value, Store.ANY_REVISION, Store.NO_LEASE);
                        line = "U /crash/hot " + kv.modRevision() + " .";
                    } else {
                        String key = "/crash/" + round + "/" + thread + "/" + n;
                        KeyValue kv = store.create(key, value, Store.NO_LEASE);
                        line = "C " + key + " " + kv.modRevision() + " .";
                    }
                    synchronized (out) {
                        out.println(line);
                        out.flush();
                    }
                    if (thread == 0 && n % 400 == 399) {
                        store.compact(Math.max(1, store.currentRevision() - 100));
                    }
                }
            }, "writer-" + t);
            th.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}

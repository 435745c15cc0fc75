package io.kube4j.cli;

import io.kube4j.cli.store.StoreOptions;
import io.kube4j.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.CountDownLatch;

/**
 * {@code kube4j server}: every master component in one JVM (and, once the worker exists, a local worker),
 * as other lightweight distributions do. The components still talk to each other only over the API.
 */
@Command(name = "server", description = "Run a master (store, API server, scheduler, controller manager) in one process.",
        mixinStandardHelpOptions = true)
final class ServerCommand implements java.util.concurrent.Callable<Integer> {

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--port", description = "API port on 127.0.0.1 (default: ${DEFAULT-VALUE})", defaultValue = "6443")
    int port;

    @Option(names = "--disable-agent", description = "run the master alone, without a local worker")
    boolean disableAgent;

    @Override
    public Integer call() throws Exception {
        if (storeOptions.dataDir() == null) {
            throw new IllegalArgumentException("needs --data-dir DIR (where the server keeps its state)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (Store store = storeOptions.open()) {
            System.err.println("kube4j server: store ready at revision " + store.currentRevision()
                    + " (" + storeOptions.describe() + ")");
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "kube4j-shutdown"));
            stopped.await();
        }
        return 0;
    }
}

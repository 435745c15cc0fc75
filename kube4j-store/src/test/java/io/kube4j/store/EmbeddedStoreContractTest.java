package io.kube4j.store;

import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The store contract against the embedded backend: a fresh store in its own temp dir for every test. */
class EmbeddedStoreContractTest extends StoreContractTest {
    @TempDir
    Path dir;

    private final AtomicInteger opened = new AtomicInteger();

    @Override
    protected Store newStore() {
        return EmbeddedStore.open(dir.resolve("store-" + opened.incrementAndGet()));
    }

    @Override
    protected Store newEmptyStore() {
        return EmbeddedStore.open(dir.resolve("empty-" + opened.incrementAndGet()));
    }
}

package io.kube4j.apiserver.registry.allocation;

import io.kube4j.api.status.StatusException;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Allocates numbered slots (IP offsets, ports) by creating one store key per slot taken: the store's
 * create-if-absent makes two servers or two requests unable to take the same slot, and the allocation
 * survives restarts.
 */
class StoreBitmapAllocator {

    private final Store store;
    private final String prefix;
    private final long first;
    private final long size;
    private final String what;

    StoreBitmapAllocator(Store store, String prefix, long first, long size, String what) {
        this.store = store;
        this.prefix = prefix;
        this.first = first;
        this.size = size;
        this.what = what;
    }

    /** Takes a free slot, starting at a random one so that restarts do not pile on the low numbers. */
    long allocate(boolean dryRun) {
        long start = ThreadLocalRandom.current().nextLong(size);
        for (long i = 0; i < size; i++) {
            long slot = first + (start + i) % size;
            if (dryRun) {
                if (store.get(key(slot)).isEmpty()) {
                    return slot;
                }
                continue;
            }
            try {
                store.create(key(slot), "1".getBytes(StandardCharsets.UTF_8), Store.NO_LEASE);
                return slot;
            } catch (StoreException.KeyExists taken) {
                // try the next one
            }
        }
        throw StatusException.internalError("range of " + what + " is full");
    }

    /** Takes a given slot; IllegalArgumentException if it is out of range or taken. */
    void claim(long slot, boolean dryRun) {
        if (slot < first || slot >= first + size) {
            throw new IllegalArgumentException("provided " + what + " is not in the valid range");
        }
        if (dryRun) {
            if (store.get(key(slot)).isPresent()) {
                throw new IllegalArgumentException("provided " + what + " is already allocated");
            }
            return;
        }
        try {
            store.create(key(slot), "1".getBytes(StandardCharsets.UTF_8), Store.NO_LEASE);
        } catch (StoreException.KeyExists taken) {
            throw new IllegalArgumentException("provided " + what + " is already allocated");
        }
    }

    void release(long slot) {
        try {
            store.delete(key(slot), Store.ANY_REVISION);
        } catch (StoreException.KeyNotFound alreadyFree) {
            // nothing to do
        }
    }

    private String key(long slot) {
        return prefix + slot;
    }
}

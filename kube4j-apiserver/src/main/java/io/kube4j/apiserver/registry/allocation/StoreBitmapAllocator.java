package io.kube4j.apiserver.registry.allocation;

import io.kube4j.api.status.StatusException;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Allocates numbered slots (IP offsets, ports) by creating one store key per slot taken: the store's
 * create-if-absent makes two servers or two requests unable to take the same slot, and the allocation
 * survives restarts. As upstream (KEP-3070, KEP-3668), the lowest {@code staticBand} slots are left to
 * explicit claims: dynamic allocation takes them only once the rest of the range is full, so a fixed address
 * such as the kube-dns Service's 10th IP is not taken by a service created before it.
 */
class StoreBitmapAllocator {

    private final Store store;
    private final String prefix;
    private final long first;
    private final long size;
    private final String what;
    private final long staticBand;

    StoreBitmapAllocator(Store store, String prefix, long first, long size, long staticBand, String what) {
        this.store = store;
        this.prefix = prefix;
        this.first = first;
        this.size = size;
        this.staticBand = Math.min(staticBand, size - 1);
        this.what = what;
    }

    /** Upstream's static band: none for ranges under {@code minimum}, else min(max(minimum, size / divisor), maximum). */
    static long staticBand(long size, long minimum, long divisor, long maximum) {
        return size < minimum ? 0 : Math.min(Math.max(minimum, size / divisor), maximum);
    }

    /**
     * Takes a free slot above the static band (starting at a random one so that restarts do not pile on the
     * low numbers), or in the static band once the rest is full.
     */
    long allocate(boolean dryRun) {
        long slot = allocateIn(first + staticBand, size - staticBand, dryRun);
        if (slot < 0) {
            slot = allocateIn(first, staticBand, dryRun);
        }
        if (slot < 0) {
            throw StatusException.internalError("range of " + what + " is full");
        }
        return slot;
    }

    private long allocateIn(long from, long count, boolean dryRun) {
        if (count <= 0) {
            return -1;
        }
        long start = ThreadLocalRandom.current().nextLong(count);
        for (long i = 0; i < count; i++) {
            long slot = from + (start + i) % count;
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
        return -1;
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

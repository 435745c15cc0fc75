package io.kube4j.apiserver.registry.allocation;

import io.kube4j.store.Store;

/** Service NodePorts from 30000-32767. */
public final class NodePortAllocator {

    public static final int FIRST = 30000;
    public static final int LAST = 32767;

    private final StoreBitmapAllocator slots;

    public NodePortAllocator(Store store) {
        this.slots = new StoreBitmapAllocator(store, "/registry/allocations/servicenodeports/", FIRST,
                LAST - FIRST + 1, StoreBitmapAllocator.staticBand(LAST - FIRST + 1, 16, 32, 128), "port");
    }

    public int allocate(boolean dryRun) {
        return (int) slots.allocate(dryRun);
    }

    public void claim(int port, boolean dryRun) {
        slots.claim(port, dryRun);
    }

    public void release(int port) {
        if (port >= FIRST && port <= LAST) {
            slots.release(port);
        }
    }
}

package io.kube4j.kubelet.eviction;

/** What the node has and has left, in bytes: the inputs of every signal. */
public record NodeObservations(long memoryAvailable, long memoryCapacity, long nodefsAvailable, long nodefsCapacity,
                               long imagefsAvailable, long imagefsCapacity) {

    long available(Signal s) {
        return switch (s) {
            case MEMORY_AVAILABLE -> memoryAvailable;
            case NODEFS_AVAILABLE -> nodefsAvailable;
            case IMAGEFS_AVAILABLE -> imagefsAvailable;
        };
    }

    long capacity(Signal s) {
        return switch (s) {
            case MEMORY_AVAILABLE -> memoryCapacity;
            case NODEFS_AVAILABLE -> nodefsCapacity;
            case IMAGEFS_AVAILABLE -> imagefsCapacity;
        };
    }
}

package io.kube4j.kubelet.eviction;

/** The eviction signals this kubelet watches, named as upstream's --eviction-hard flag names them. */
public enum Signal {
    MEMORY_AVAILABLE("memory.available", "memory"),
    NODEFS_AVAILABLE("nodefs.available", "ephemeral-storage"),
    IMAGEFS_AVAILABLE("imagefs.available", "ephemeral-storage");

    private final String flagName;
    private final String resource;

    Signal(String flagName, String resource) {
        this.flagName = flagName;
        this.resource = resource;
    }

    public String flagName() {
        return flagName;
    }

    /** The resource a pod is evicted to reclaim ("memory" or "ephemeral-storage"). */
    public String resource() {
        return resource;
    }

    public boolean isMemory() {
        return this == MEMORY_AVAILABLE;
    }

    static Signal byFlagName(String name) {
        for (Signal s : values()) {
            if (s.flagName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown eviction signal \"" + name + "\" (known: memory.available, nodefs.available, "
                + "imagefs.available)");
    }
}

package io.kube4j.kubelet.nodestatus;

/** The event reasons upstream's kubelet records as a node condition takes a value (pkg/kubelet/nodestatus). */
final class NodeConditionEvents {
    private NodeConditionEvents() {
    }

    /** The reason for {@code type} becoming {@code true} or false; null for a condition upstream records nothing for. */
    static String reason(String type, boolean value) {
        return switch (type) {
            case "Ready" -> value ? "NodeReady" : "NodeNotReady";
            case "MemoryPressure" -> value ? "NodeHasInsufficientMemory" : "NodeHasSufficientMemory";
            case "DiskPressure" -> value ? "NodeHasDiskPressure" : "NodeHasNoDiskPressure";
            case "PIDPressure" -> value ? "NodeHasInsufficientPID" : "NodeHasSufficientPID";
            default -> null;
        };
    }
}

package io.kube4j.api.printers;

/** One column of a meta.k8s.io Table; {@code priority} 1 means shown only with {@code -o wide}. */
public record Column(String name, String type, String format, String description, int priority) {
}

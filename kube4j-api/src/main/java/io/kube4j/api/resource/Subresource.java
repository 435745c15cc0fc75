package io.kube4j.api.resource;

import java.util.List;

/**
 * A subresource such as {@code pods/status} or {@code deployments/scale}. {@code group}, {@code version} and
 * {@code kind} name the type it speaks when that is not the parent's own (Scale, Eviction, TokenRequest);
 * they are null when the subresource serves the parent type itself.
 */
public record Subresource(String name, String group, String version, String kind, List<String> verbs) {

    public Subresource {
        verbs = List.copyOf(verbs);
    }

    static Subresource status() {
        return new Subresource("status", null, null, null, List.of("get", "patch", "update"));
    }

    static Subresource scale() {
        return new Subresource("scale", "autoscaling", "v1", "Scale", List.of("get", "patch", "update"));
    }

    /** True when the subresource reads and writes the parent's own kind (status, finalize). */
    public boolean sameKindAsParent() {
        return kind == null;
    }
}

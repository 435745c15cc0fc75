package io.kube4j.api.defaults;

import tools.jackson.databind.node.ObjectNode;

/** Upstream's v1 defaulting of built-in kinds, applied in place to a generic object tree. */
public final class Defaults {
    private Defaults() {
    }

    /** Fills in the defaults of {@code obj} in place; {@code group} is "" for core. No-op for unknown kinds. */
    public static void apply(String group, String kind, ObjectNode obj) {
    }
}

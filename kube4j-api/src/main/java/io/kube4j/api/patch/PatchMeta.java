package io.kube4j.api.patch;

/**
 * The strategic merge patch metadata of one field: its {@code x-kubernetes-patch-strategy} ("merge", "retainKeys",
 * "merge,retainKeys", "replace" or "" for none) and {@code x-kubernetes-patch-merge-key} ("" for none or for lists of
 * primitives).
 */
public record PatchMeta(String patchStrategy, String mergeKey) {

    /** A field without patch metadata: maps merge recursively, lists replace. */
    public static final PatchMeta NONE = new PatchMeta("", "");

    public PatchMeta {
        patchStrategy = patchStrategy == null ? "" : patchStrategy;
        mergeKey = mergeKey == null ? "" : mergeKey;
    }

    public static PatchMeta merge(String mergeKey) {
        return new PatchMeta("merge", mergeKey);
    }

    /** Whether lists merge (by merge key, or as a set of primitives when there is none). */
    public boolean isMerge() {
        return has("merge");
    }

    public boolean isRetainKeys() {
        return has("retainKeys");
    }

    /** Whether a map is replaced whole instead of merged. */
    public boolean isReplace() {
        return has("replace");
    }

    private boolean has(String strategy) {
        // the comma-separated items compared in place: split() cost every list lookup of every write an array
        int from = 0;
        while (from <= patchStrategy.length()) {
            int comma = patchStrategy.indexOf(',', from);
            int end = comma < 0 ? patchStrategy.length() : comma;
            if (end - from == strategy.length() && patchStrategy.startsWith(strategy, from)) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            from = comma + 1;
        }
        return false;
    }
}

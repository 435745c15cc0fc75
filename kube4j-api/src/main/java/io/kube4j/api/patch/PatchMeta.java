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
        for (String s : patchStrategy.split(",")) {
            if (s.equals(strategy)) {
                return true;
            }
        }
        return false;
    }
}

package io.kube4j.api.patch;

import java.util.List;

/**
 * Answers, for a kind, which fields carry strategic merge patch metadata. Paths are the field names from the object
 * root; the elements of a list do not add a segment (e.g. {@code spec, containers, ports} for a container port list).
 */
public interface PatchSchema {

    /**
     * Whether strategic merge patch is defined for this kind (group "" is the core group). Upstream answers 415 for
     * strategic merge patches of kinds it has no Go type for (custom resources).
     */
    boolean supports(String group, String kind);

    /** The metadata of the field at {@code fieldPath} in {@code kind}; {@link PatchMeta#NONE} when there is none. */
    PatchMeta lookup(String group, String kind, List<String> fieldPath);
}

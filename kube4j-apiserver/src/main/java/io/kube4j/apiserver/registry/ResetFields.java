package io.kube4j.apiserver.registry;

import io.kube4j.api.apply.FieldSet;
import io.kube4j.api.apply.PathElement;

/**
 * Builds the field sets upstream's strategies return from {@code GetResetFields}: what a write through a
 * (sub)resource resets, which server-side apply therefore leaves out of the applier's ownership (and of conflicts).
 */
public final class ResetFields {

    private ResetFields() {
    }

    /** The set of the given dotted field paths ("spec", "metadata.labels", "status.conditions"). */
    public static FieldSet of(String... dottedPaths) {
        FieldSet fields = new FieldSet();
        for (String dotted : dottedPaths) {
            String[] names = dotted.split("\\.");
            PathElement[] path = new PathElement[names.length];
            for (int i = 0; i < names.length; i++) {
                path[i] = new PathElement.Field(names[i]);
            }
            fields.insert(path);
        }
        return fields;
    }
}

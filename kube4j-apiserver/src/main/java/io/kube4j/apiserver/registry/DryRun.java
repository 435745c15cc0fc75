package io.kube4j.apiserver.registry;

import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.validation.FieldError;

import java.util.List;

/**
 * A write's {@code dryRun} option, as upstream's ValidateDryRun holds it: {@code All} is the one value, and any other
 * refuses the write's options object (CreateOptions, UpdateOptions, PatchOptions, DeleteOptions) with a 422.
 */
public final class DryRun {

    private static final String ALL = "All";
    private static final List<String> SUPPORTED = List.of(ALL);

    private DryRun() {
    }

    /**
     * Whether {@code values} (null: the option is absent) ask for a dry run; a value but {@code All} is refused as
     * upstream refuses the {@code optionsKind} object that carries it.
     */
    public static boolean requested(List<String> values, String optionsKind) {
        StatusCause refusal = refusal(values);
        if (refusal != null) {
            throw StatusException.invalid("meta.k8s.io", optionsKind, "", List.of(refusal));
        }
        return values != null && !values.isEmpty();
    }

    /** The cause upstream gives for {@code values}, or null when each is {@code All} (or there are none). */
    static StatusCause refusal(List<String> values) {
        if (values == null || values.stream().allMatch(ALL::equals)) {
            return null;
        }
        // Go prints the whole list as its %#v: Unsupported value: []string{"x"}: supported values: "All"
        FieldError error = FieldError.notSupported("dryRun", values, SUPPORTED);
        return new StatusCause(error.type().reason(), error.body(), error.field());
    }
}

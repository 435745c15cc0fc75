package io.kube4j.api.status;

import java.util.List;

/**
 * metav1.StatusDetails: what the failure is about. {@code kind} is the resource for most errors and the
 * Kind for Invalid, as upstream fills it. Empty strings and empty lists are left out of the JSON.
 */
public record StatusDetails(String name, String group, String kind, String uid, List<StatusCause> causes,
                            int retryAfterSeconds) {

    public StatusDetails {
        causes = causes == null ? List.of() : List.copyOf(causes);
    }

    public static StatusDetails of(String name, String group, String kind) {
        return new StatusDetails(name, group, kind, null, List.of(), 0);
    }
}

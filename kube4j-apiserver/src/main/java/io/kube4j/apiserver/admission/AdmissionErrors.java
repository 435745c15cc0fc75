package io.kube4j.apiserver.admission;

import io.kube4j.api.status.StatusException;

import java.util.List;

/** Upstream's admission.NewForbidden: {@code pods "web" is forbidden: <why>}. */
final class AdmissionErrors {

    private AdmissionErrors() {
    }

    static StatusException forbidden(AdmissionRequest request, String why) {
        return StatusException.forbidden(request.group(), request.resource(), request.errorName(), why);
    }

    /** Several reasons as upstream's aggregate error prints them: one plain, several in brackets. */
    static String aggregate(List<String> errors) {
        return errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
    }
}

package io.kube4j.apiserver.admission;

import java.util.List;

/**
 * Admission in upstream's two phases: every mutating plugin in order (twice when a webhook with reinvocationPolicy
 * IfNeeded must see a later change), then every validating plugin in order. The first rejection (a
 * StatusException) stops the write; nothing is stored.
 */
public final class AdmissionChain {

    private final List<MutatingAdmission> mutating;
    private final List<ValidatingAdmission> validating;

    public AdmissionChain(List<MutatingAdmission> mutating, List<ValidatingAdmission> validating) {
        this.mutating = List.copyOf(mutating);
        this.validating = List.copyOf(validating);
    }

    /** Runs both phases; returns the warnings plugins produced. */
    public List<String> admit(AdmissionRequest request) {
        for (MutatingAdmission plugin : mutating) {
            plugin.admit(request);
        }
        // upstream's reinvoker: one more pass of every mutating plugin when a webhook asked for it
        if (request.reinvocation().shouldReinvoke()) {
            request.reinvocation().startReinvoke();
            for (MutatingAdmission plugin : mutating) {
                plugin.admit(request);
            }
        }
        for (ValidatingAdmission plugin : validating) {
            plugin.validate(request);
        }
        return List.copyOf(request.warnings());
    }

    public List<String> mutatingNames() {
        return mutating.stream().map(MutatingAdmission::name).toList();
    }

    public List<String> validatingNames() {
        return validating.stream().map(ValidatingAdmission::name).toList();
    }
}

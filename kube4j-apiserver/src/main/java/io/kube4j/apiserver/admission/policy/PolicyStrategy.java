package io.kube4j.apiserver.admission.policy;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.registry.DefaultStrategy;
import io.kube4j.apiserver.registry.ResourceStrategy;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * Upstream's strategies of ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
 * ({@code pkg/registry/admissionregistration/validatingadmissionpolicy*}): both keep a generation
 * ({@link io.kube4j.apiserver.registry.GenerationTracking}); a policy's CEL expressions must compile (the kube4j-api
 * validators check the rest of the structure); a policy's status write changes status only - upstream's status strategy resets all of metadata.
 */
public final class PolicyStrategy extends DefaultStrategy {

    static final String GROUP = "admissionregistration.k8s.io";

    private final boolean policy;

    private PolicyStrategy(ResourceType type) {
        super(type);
        this.policy = type.kind().equals("ValidatingAdmissionPolicy");
    }

    /** The strategy of a ValidatingAdmissionPolicy(Binding) resource, or null for any other. */
    public static ResourceStrategy strategyFor(ResourceType type) {
        if (!type.group().equals(GROUP)) {
            return null;
        }
        return switch (type.kind()) {
            case "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding" -> new PolicyStrategy(type);
            default -> null;
        };
    }

    @Override
    public Set<String> statusWritableMetadata() {
        return Set.of();
    }

    @Override
    public List<FieldError> validateCreate(ObjectNode obj) {
        return policy ? PolicyCompiler.compile(obj).errors() : List.of();
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        return validateCreate(obj);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old, String subresource) {
        // a status write cannot change the expressions
        return subresource.equals("status") ? List.of() : validateUpdate(obj, old);
    }
}

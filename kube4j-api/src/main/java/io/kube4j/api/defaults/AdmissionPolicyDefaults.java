package io.kube4j.api.defaults;

import tools.jackson.databind.node.ObjectNode;

/**
 * admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding defaults (upstream's
 * {@code pkg/apis/admissionregistration/v1/defaults.go} and the generated defaulter that walks into them): a policy's
 * failurePolicy Fail; a MatchResources (the policy's matchConstraints, the binding's matchResources) matchPolicy
 * Equivalent and empty namespace and object selectors; every resource rule's scope "*"; a binding's paramRef
 * parameterNotFoundAction Deny.
 */
final class AdmissionPolicyDefaults {
    private AdmissionPolicyDefaults() {
    }

    static void policy(ObjectNode policy) {
        ObjectNode spec = Nodes.obj(policy, "spec");
        if (spec == null) {
            return;
        }
        Nodes.defaultStr(spec, "failurePolicy", "Fail");
        matchResources(Nodes.obj(spec, "matchConstraints"));
    }

    static void binding(ObjectNode binding) {
        ObjectNode spec = Nodes.obj(binding, "spec");
        if (spec == null) {
            return;
        }
        matchResources(Nodes.obj(spec, "matchResources"));
        ObjectNode paramRef = Nodes.obj(spec, "paramRef");
        if (paramRef != null) {
            Nodes.defaultStr(paramRef, "parameterNotFoundAction", "Deny");
        }
    }

    private static void matchResources(ObjectNode match) {
        if (match == null) {
            return;
        }
        Nodes.defaultStr(match, "matchPolicy", "Equivalent");
        if (Nodes.absent(match, "namespaceSelector")) {
            match.putObject("namespaceSelector");
        }
        if (Nodes.absent(match, "objectSelector")) {
            match.putObject("objectSelector");
        }
        for (String rules : new String[] {"resourceRules", "excludeResourceRules"}) {
            for (ObjectNode rule : Nodes.objs(match, rules)) {
                Nodes.defaultStr(rule, "scope", "*");
            }
        }
    }
}

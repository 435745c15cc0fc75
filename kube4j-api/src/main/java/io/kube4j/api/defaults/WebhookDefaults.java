package io.kube4j.api.defaults;

import tools.jackson.databind.node.ObjectNode;

/**
 * admissionregistration.k8s.io/v1 webhook configuration defaults (upstream's
 * {@code pkg/apis/admissionregistration/v1/defaults.go}): failurePolicy Fail, matchPolicy Equivalent, empty
 * namespace and object selectors (match everything), timeoutSeconds 10, rule scope "*", service port 443, and
 * for mutating webhooks reinvocationPolicy Never. sideEffects and admissionReviewVersions have no v1 default:
 * they are required.
 */
final class WebhookDefaults {
    private WebhookDefaults() {
    }

    static void validating(ObjectNode configuration) {
        webhooks(configuration, false);
    }

    static void mutating(ObjectNode configuration) {
        webhooks(configuration, true);
    }

    private static void webhooks(ObjectNode configuration, boolean mutating) {
        for (ObjectNode hook : Nodes.objs(configuration, "webhooks")) {
            Nodes.defaultStr(hook, "failurePolicy", "Fail");
            Nodes.defaultStr(hook, "matchPolicy", "Equivalent");
            if (Nodes.absent(hook, "namespaceSelector")) {
                hook.putObject("namespaceSelector");
            }
            if (Nodes.absent(hook, "objectSelector")) {
                hook.putObject("objectSelector");
            }
            Nodes.defaultInt(hook, "timeoutSeconds", 10);
            if (mutating) {
                Nodes.defaultStr(hook, "reinvocationPolicy", "Never");
            }
            for (ObjectNode rule : Nodes.objs(hook, "rules")) {
                Nodes.defaultStr(rule, "scope", "*");
            }
            ObjectNode service = Nodes.obj(Nodes.obj(hook, "clientConfig"), "service");
            if (service != null) {
                Nodes.defaultInt(service, "port", 443);
            }
        }
    }
}

package io.kube4j.apiserver.admission.webhook;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;

import java.util.List;

/** The admissionregistration.k8s.io/v1 webhook configuration resources, stored like any other object. */
public final class WebhookConfigurations {

    private WebhookConfigurations() {
    }

    /** Adds them to the registry; call before the registries are built so they are stored. */
    public static void register(ResourceRegistry registry) {
        for (String[] kind : new String[][] {{"MutatingWebhookConfiguration", "mutatingwebhookconfigurations"},
                {"ValidatingWebhookConfiguration", "validatingwebhookconfigurations"}}) {
            if (registry.find(WebhookAdmission.GROUP, "v1", kind[1]).isEmpty()) {
                registry.add(new ResourceType(WebhookAdmission.GROUP, "v1", kind[0], kind[1],
                        kind[0].toLowerCase(java.util.Locale.ROOT), false, List.of(), List.of(),
                        ResourceType.ALL_VERBS, List.of()));
            }
        }
    }
}

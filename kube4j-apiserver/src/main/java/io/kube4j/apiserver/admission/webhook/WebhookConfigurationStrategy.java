package io.kube4j.apiserver.admission.webhook;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.registry.DefaultStrategy;
import io.kube4j.apiserver.registry.ResourceStrategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The strategy of Validating- and MutatingWebhookConfiguration: their webhooks' matchConditions must compile and give
 * a bool (the kube4j-api validators check the rest). On update, as upstream's StoredExpressions environment, an
 * expression the old object already held is not refused.
 */
public final class WebhookConfigurationStrategy extends DefaultStrategy {

    private WebhookConfigurationStrategy(ResourceType type) {
        super(type);
    }

    /** The strategy of a webhook configuration resource, or null for any other. */
    public static ResourceStrategy strategyFor(ResourceType type) {
        boolean configuration = type.group().equals(WebhookAdmission.GROUP)
                && (type.kind().equals("ValidatingWebhookConfiguration")
                || type.kind().equals("MutatingWebhookConfiguration"));
        return configuration ? new WebhookConfigurationStrategy(type) : null;
    }

    @Override
    public List<FieldError> validateCreate(ObjectNode obj) {
        return compileErrors(obj, Set.of());
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        Set<String> stored = new HashSet<>();
        old.path("webhooks").forEach(hook -> stored.addAll(MatchConditions.expressions(hook)));
        return compileErrors(obj, stored);
    }

    private static List<FieldError> compileErrors(ObjectNode obj, Set<String> stored) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode webhooks = obj.path("webhooks");
        for (int i = 0; i < webhooks.size(); i++) {
            MatchConditions.compile(webhooks.get(i), "webhooks[" + i + "].matchConditions", stored, errors);
        }
        return errors;
    }
}

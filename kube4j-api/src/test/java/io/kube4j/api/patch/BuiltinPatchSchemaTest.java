package io.kube4j.api.patch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinPatchSchemaTest {

    /** Upstream takes a strategic merge patch for every built-in kind (it has a Go type); only custom resources get 415. */
    @Test
    void everyServedBuiltinKindTakesAStrategicMergePatch() {
        List<String> unsupported = ResourceRegistry.builtin().all().stream()
                .filter(t -> t.supports("patch"))
                .filter(t -> !BuiltinPatchSchema.instance().supports(t.group(), t.kind()))
                .map(ResourceType::plural).toList();
        assertThat(unsupported).isEmpty();
        // the API server adds these to the table itself
        assertThat(BuiltinPatchSchema.instance().supports("admissionregistration.k8s.io", "MutatingWebhookConfiguration"))
                .isTrue();
    }

    @Test
    void webhookConfigurationsMergeTheirWebhooksByNameAndOwnerReferencesByUid() {
        var current = Json.j("""
                {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration",
                 "metadata":{"name":"w","ownerReferences":[{"uid":"a","name":"x"}]},
                 "webhooks":[{"name":"one"}]}""");
        var patch = Json.j("""
                {"metadata":{"ownerReferences":[{"uid":"b","name":"y"}]},"webhooks":[{"name":"two"}]}""");
        var result = StrategicMergePatch.apply(current, patch, BuiltinPatchSchema.instance());
        assertThat(result.at("/metadata/ownerReferences").size()).isEqualTo(2);
        assertThat(result.at("/webhooks").size()).isEqualTo(2);
        // as upstream without $setElementOrder: the new item first, then the kept one
        assertThat(result.at("/webhooks/0/name").asString()).isEqualTo("two");
        assertThat(result.at("/webhooks/1/name").asString()).isEqualTo("one");
    }
}

package io.kube4j.controllers.util;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kube4j.controllers.framework.Informers;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ControllerRevisions of a StatefulSet or DaemonSet, one per pod template it has run, as upstream's
 * controller history keeps them: {@code kubectl rollout history} lists them and {@code rollout undo} applies one's
 * data back onto the workload.
 */
public final class ControllerHistory {
    public static final String REVISION_LABEL = "controller-revision-hash";

    private final KubernetesClient client;
    private final Informers informers;

    /** The caller's informers must watch ControllerRevisions. */
    public ControllerHistory(KubernetesClient client, Informers informers) {
        this.client = client;
        this.informers = informers;
        informers.of(ControllerRevision.class);
    }

    /**
     * The name of the revision for {@code owner}'s template (whose hash is {@code hash}): created with the next
     * revision number on first sight; a template returned to by a rollback gets its old revision renumbered as the
     * newest, so the next {@code rollout undo} goes back to the template just left.
     */
    public String ensure(HasMetadata owner, PodTemplateSpec template, String hash) {
        String name = owner.getMetadata().getName() + "-" + hash;
        String ns = owner.getMetadata().getNamespace();
        long max = 0;
        ControllerRevision existing = null;
        for (ControllerRevision cr : informers.inNamespace(ControllerRevision.class, ns)) {
            if (OwnerRefs.isControlledBy(cr, owner) && cr.getRevision() != null) {
                max = Math.max(max, cr.getRevision());
                if (name.equals(cr.getMetadata().getName())) {
                    existing = cr;
                }
            }
        }
        if (existing != null) {
            if (existing.getRevision() < max) {
                client.apps().controllerRevisions().inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"revision\":" + (max + 1) + "}");
            }
            return name;
        }
        // upstream labels a revision with its template's labels, which kubectl finds it by (the workload's selector)
        Map<String, String> labels = new LinkedHashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.put(REVISION_LABEL, hash);
        // the strategic merge patch kubectl's rollout undo applies: it replaces the template and nothing else of the spec
        Map<String, Object> templateData = new LinkedHashMap<>(client.getKubernetesSerialization().convertValue(template, Map.class));
        templateData.put("$patch", "replace");
        Map<String, Object> data = Map.of("spec", Map.of("template", templateData));
        try {
            client.apps().controllerRevisions().inNamespace(ns).resource(new ControllerRevisionBuilder().withNewMetadata()
                    .withName(name).withNamespace(ns).withLabels(labels).withOwnerReferences(OwnerRefs.newControllerRef(owner))
                    .endMetadata().withRevision(max + 1).withData(data).build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        return name;
    }
}

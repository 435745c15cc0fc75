package io.kube4j.controllers.util;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Pods stamped from a template, owned by their controller, as upstream's GetPodFromTemplate. */
public final class PodTemplates {
    private static final int MAX_GENERATED_NAME_PREFIX = 58;

    private PodTemplates() {
    }

    public static String generateNamePrefix(String ownerName) {
        String prefix = ownerName + "-";
        return prefix.length() > MAX_GENERATED_NAME_PREFIX ? prefix.substring(0, MAX_GENERATED_NAME_PREFIX) : prefix;
    }

    public static Pod newPod(PodTemplateSpec template, HasMetadata owner) {
        ObjectMeta tm = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(owner.getMetadata().getNamespace())
                .withGenerateName(generateNamePrefix(owner.getMetadata().getName()))
                .withLabels(tm.getLabels() == null ? null : new LinkedHashMap<>(tm.getLabels()))
                .withAnnotations(tm.getAnnotations() == null ? null : new LinkedHashMap<>(tm.getAnnotations()))
                .withFinalizers(tm.getFinalizers() == null ? null : new ArrayList<>(tm.getFinalizers()))
                .withOwnerReferences(List.of(OwnerRefs.newControllerRef(owner)))
                .endMetadata()
                .withSpec(template.getSpec() == null ? null : new PodSpecBuilder(template.getSpec()).build())
                .build();
    }
}

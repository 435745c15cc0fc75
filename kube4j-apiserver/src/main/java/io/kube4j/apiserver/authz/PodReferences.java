package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.Set;

/** The Secrets, ConfigMaps, PVCs and service account a pod spec refers to (what its kubelet must read). */
final class PodReferences {

    private static final String[] CONTAINER_LISTS = {"containers", "initContainers", "ephemeralContainers"};

    private PodReferences() {
    }

    static Set<String> secrets(ObjectNode pod) {
        Set<String> names = new LinkedHashSet<>();
        JsonNode spec = pod.path("spec");
        for (JsonNode pull : spec.path("imagePullSecrets")) {
            add(names, pull.path("name"));
        }
        for (JsonNode volume : spec.path("volumes")) {
            add(names, volume.path("secret").path("secretName"));
            for (JsonNode source : volume.path("projected").path("sources")) {
                add(names, source.path("secret").path("name"));
            }
            // csi, flexVolume, cephfs, rbd, iscsi, scaleIO, storageos: {"secretRef": {"name": ...}}
            for (var entry : volume.properties()) {
                JsonNode secretRef = entry.getValue().path("secretRef");
                add(names, secretRef.path("name"));
                add(names, entry.getValue().path("nodePublishSecretRef").path("name"));
            }
            add(names, volume.path("azureFile").path("secretName"));
        }
        for (JsonNode container : containers(spec)) {
            for (JsonNode env : container.path("env")) {
                add(names, env.path("valueFrom").path("secretKeyRef").path("name"));
            }
            for (JsonNode envFrom : container.path("envFrom")) {
                add(names, envFrom.path("secretRef").path("name"));
            }
        }
        return names;
    }

    static Set<String> configMaps(ObjectNode pod) {
        Set<String> names = new LinkedHashSet<>();
        JsonNode spec = pod.path("spec");
        for (JsonNode volume : spec.path("volumes")) {
            add(names, volume.path("configMap").path("name"));
            for (JsonNode source : volume.path("projected").path("sources")) {
                add(names, source.path("configMap").path("name"));
            }
        }
        for (JsonNode container : containers(spec)) {
            for (JsonNode env : container.path("env")) {
                add(names, env.path("valueFrom").path("configMapKeyRef").path("name"));
            }
            for (JsonNode envFrom : container.path("envFrom")) {
                add(names, envFrom.path("configMapRef").path("name"));
            }
        }
        return names;
    }

    static Set<String> persistentVolumeClaims(ObjectNode pod) {
        Set<String> names = new LinkedHashSet<>();
        String podName = Json.text(pod, "metadata", "name");
        for (JsonNode volume : pod.path("spec").path("volumes")) {
            add(names, volume.path("persistentVolumeClaim").path("claimName"));
            if (volume.has("ephemeral") && podName != null) {
                names.add(podName + "-" + volume.path("name").asString(""));
            }
        }
        return names;
    }

    static String serviceAccount(ObjectNode pod) {
        String name = Json.text(pod, "spec", "serviceAccountName");
        return name == null || name.isEmpty() ? "default" : name;
    }

    private static Iterable<JsonNode> containers(JsonNode spec) {
        java.util.List<JsonNode> all = new java.util.ArrayList<>();
        for (String list : CONTAINER_LISTS) {
            spec.path(list).forEach(all::add);
        }
        return all;
    }

    private static void add(Set<String> names, JsonNode value) {
        if (value != null && value.isString() && !value.asString().isEmpty()) {
            names.add(value.asString());
        }
    }
}

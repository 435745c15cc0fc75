package io.kube4j.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** A built-in resource type the collector watches. */
public record GcResource(Class<? extends HasMetadata> type, String group, String kind, boolean namespaced) {
    public static String groupOf(String apiVersion) {
        if (apiVersion == null) {
            return "";
        }
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}

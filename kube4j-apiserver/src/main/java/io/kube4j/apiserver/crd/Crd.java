package io.kube4j.apiserver.crd;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.resource.Subresource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A read view of a stored CustomResourceDefinition: what it asks to be served. */
public record Crd(String name, String group, String scope, String plural, String singular, String kind,
                  String listKind, List<String> shortNames, List<String> categories, List<CrdVersion> versions) {

    /**
     * Upstream's finalizer is customresourcecleanup.apiextensions.k8s.io, which kube4j-api's ObjectMeta validation
     * does not yet list as a standard finalizer; a qualified name passes it.
     */
    public static final String FINALIZER = "apiextensions.k8s.io/customresourcecleanup";

    public static Crd of(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        List<CrdVersion> versions = new ArrayList<>();
        spec.path("versions").forEach(v -> versions.add(CrdVersion.of(v)));
        String kind = names.path("kind").asString("");
        String singular = names.path("singular").asString("");
        return new Crd(crd.path("metadata").path("name").asString(""), spec.path("group").asString(""),
                spec.path("scope").asString("Namespaced"), names.path("plural").asString(""),
                singular.isEmpty() ? kind.toLowerCase(Locale.ROOT) : singular, kind,
                names.path("listKind").asString(kind + "List"), SchemaValidation.strings(names.path("shortNames")),
                SchemaValidation.strings(names.path("categories")), versions);
    }

    public boolean namespaced() {
        return !scope.equals("Cluster");
    }

    /** Where the instances live in the store, as upstream: {@code /registry/<group>/<plural>/}. */
    public String storageName() {
        return group + "/" + plural;
    }

    public String storageVersion() {
        return versions.stream().filter(CrdVersion::storage).map(CrdVersion::name).findFirst().orElse("");
    }

    public ResourceType resourceType(CrdVersion version) {
        List<Subresource> subresources = new ArrayList<>();
        if (version.hasStatus()) {
            subresources.add(new Subresource("status", null, null, null, List.of("get", "patch", "update")));
        }
        if (version.hasScale()) {
            subresources.add(new Subresource("scale", "autoscaling", "v1", "Scale", List.of("get", "patch", "update")));
        }
        return new ResourceType(group, version.name(), kind, plural, singular, namespaced(), shortNames, categories,
                ResourceType.ALL_VERBS, subresources);
    }

    static boolean isDeleting(ObjectNode crd) {
        return crd.path("metadata").has("deletionTimestamp");
    }
}

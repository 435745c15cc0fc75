package io.kube4j.api.resource;

import java.util.List;
import java.util.Optional;

/**
 * One served resource: where it lives in the URL space ({@code group}/{@code version}/{@code plural}), the
 * kind it holds, its scope, what discovery says about it, and whether its objects are kept in storage.
 *
 * @param stored false for a resource the API server answers itself from the request or from elsewhere and never
 *               stores (the reviews, metrics.k8s.io, componentstatuses): it has no storage registry, so nothing that
 *               walks the stored resources (admission params, lookups) reads objects for it
 */
public record ResourceType(String group, String version, String kind, String plural, String singular,
                           boolean namespaced, List<String> shortNames, List<String> categories,
                           List<String> verbs, List<Subresource> subresources, boolean stored) {

    /** The verbs of a resource that supports everything. */
    public static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public ResourceType {
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        verbs = List.copyOf(verbs);
        subresources = List.copyOf(subresources);
    }

    /** A resource whose objects are stored, as every custom resource's. */
    public ResourceType(String group, String version, String kind, String plural, String singular,
                        boolean namespaced, List<String> shortNames, List<String> categories,
                        List<String> verbs, List<Subresource> subresources) {
        this(group, version, kind, plural, singular, namespaced, shortNames, categories, verbs, subresources, true);
    }

    /** {@code v1} for the core group, {@code apps/v1} otherwise, as apiVersion fields spell it. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code pods} or {@code deployments.apps}: how upstream names the resource in error messages. */
    public String qualifiedName() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public boolean supports(String verb) {
        return verbs.contains(verb);
    }

    public Optional<Subresource> subresource(String name) {
        return subresources.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public boolean hasSubresource(String name) {
        return subresource(name).isPresent();
    }
}

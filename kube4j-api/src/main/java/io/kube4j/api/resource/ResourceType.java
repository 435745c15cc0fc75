package io.kube4j.api.resource;

import java.util.List;
import java.util.Optional;

/**
 * One served resource: where it lives in the URL space ({@code group}/{@code version}/{@code plural}), the
 * kind it holds, its scope, and what discovery says about it.
 */
public record ResourceType(String group, String version, String kind, String plural, String singular,
                           boolean namespaced, List<String> shortNames, List<String> categories,
                           List<String> verbs, List<Subresource> subresources) {

    /** The verbs of a resource that supports everything. */
    public static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public ResourceType {
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        verbs = List.copyOf(verbs);
        subresources = List.copyOf(subresources);
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

package io.kube4j.api.resource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every resource the server knows, with the lookups the API server and clients need: by URL
 * (group, version, plural), by kind, by short name. Resources can be added at run time (custom resources);
 * readers always see a consistent list.
 */
public final class ResourceRegistry {

    private final List<ResourceType> resources = new CopyOnWriteArrayList<>();
    /** Group name to its versions, preferred first, in the order groups were first added. */
    private final Map<String, List<String>> groupVersions = Collections.synchronizedMap(new LinkedHashMap<>());

    /** A registry holding every built-in Kubernetes resource kube4j serves. */
    public static ResourceRegistry builtin() {
        ResourceRegistry registry = new ResourceRegistry();
        BuiltinResources.all().forEach(registry::add);
        BuiltinResources.preferredVersions().forEach(registry::preferVersion);
        return registry;
    }

    public synchronized void add(ResourceType type) {
        remove(type.group(), type.version(), type.plural());
        resources.add(type);
        groupVersions.computeIfAbsent(type.group(), g -> new ArrayList<>());
        List<String> versions = groupVersions.get(type.group());
        if (!versions.contains(type.version())) {
            versions.add(type.version());
        }
    }

    public synchronized boolean remove(String group, String version, String plural) {
        boolean removed = resources.removeIf(r -> r.group().equals(group) && r.version().equals(version)
                && r.plural().equals(plural));
        if (removed && resources.stream().noneMatch(r -> r.group().equals(group) && r.version().equals(version))) {
            List<String> versions = groupVersions.get(group);
            if (versions != null) {
                versions.remove(version);
                if (versions.isEmpty()) {
                    groupVersions.remove(group);
                }
            }
        }
        return removed;
    }

    /** Makes {@code version} the preferred version of {@code group} (first in discovery). */
    public synchronized void preferVersion(String group, String version) {
        List<String> versions = groupVersions.get(group);
        if (versions != null && versions.remove(version)) {
            versions.add(0, version);
        }
    }

    public List<ResourceType> all() {
        return List.copyOf(resources);
    }

    /** Group names in discovery order; the core group is the empty string. */
    public synchronized List<String> groups() {
        return List.copyOf(groupVersions.keySet());
    }

    /** Versions of a group, preferred first; empty if the group is not served. */
    public synchronized List<String> versions(String group) {
        List<String> versions = groupVersions.get(group);
        return versions == null ? List.of() : List.copyOf(versions);
    }

    public Optional<String> preferredVersion(String group) {
        List<String> versions = versions(group);
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(0));
    }

    public List<ResourceType> resources(String group, String version) {
        return resources.stream().filter(r -> r.group().equals(group) && r.version().equals(version)).toList();
    }

    public Optional<ResourceType> find(String group, String version, String plural) {
        return resources.stream()
                .filter(r -> r.plural().equals(plural) && r.group().equals(group) && r.version().equals(version))
                .findFirst();
    }

    /** The resource holding {@code kind} in group/version. */
    public Optional<ResourceType> findByKind(String group, String version, String kind) {
        return resources.stream()
                .filter(r -> r.kind().equals(kind) && r.group().equals(group) && r.version().equals(version))
                .findFirst();
    }

    /** The resource holding {@code kind} in any group, preferring the core group and preferred versions. */
    public Optional<ResourceType> findByKind(String kind) {
        return preferredFirst(resources.stream().filter(r -> r.kind().equals(kind)).toList());
    }

    /**
     * What kubectl would resolve a user-typed name to: a plural, singular, short name or kind
     * (case-insensitive), optionally qualified with a group ({@code deployments.apps}).
     */
    public Optional<ResourceType> resolve(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String group = null;
        int dot = lower.indexOf('.');
        if (dot > 0) {
            group = lower.substring(dot + 1);
            lower = lower.substring(0, dot);
        }
        String wanted = lower;
        String wantedGroup = group;
        List<ResourceType> matches = resources.stream()
                .filter(r -> wantedGroup == null || r.group().equals(wantedGroup))
                .filter(r -> r.plural().equals(wanted) || r.singular().equals(wanted)
                        || r.shortNames().contains(wanted) || r.kind().toLowerCase(Locale.ROOT).equals(wanted))
                .toList();
        return preferredFirst(matches);
    }

    public Optional<ResourceType> findByShortName(String shortName) {
        return preferredFirst(resources.stream().filter(r -> r.shortNames().contains(shortName)).toList());
    }

    /** Resources in a category such as {@code all}. */
    public List<ResourceType> inCategory(String category) {
        return resources.stream().filter(r -> r.categories().contains(category)).toList();
    }

    private Optional<ResourceType> preferredFirst(List<ResourceType> matches) {
        return matches.stream()
                .min((a, b) -> {
                    int core = Boolean.compare(!a.group().isEmpty(), !b.group().isEmpty());
                    if (core != 0) {
                        return core;
                    }
                    boolean aPreferred = preferredVersion(a.group()).map(a.version()::equals).orElse(false);
                    boolean bPreferred = preferredVersion(b.group()).map(b.version()::equals).orElse(false);
                    return Boolean.compare(!aPreferred, !bPreferred);
                });
    }
}

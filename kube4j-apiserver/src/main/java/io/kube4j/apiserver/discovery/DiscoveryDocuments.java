package io.kube4j.apiserver.discovery;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.resource.Subresource;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the discovery documents from the resource registry: the legacy ones (APIVersions, APIGroupList,
 * APIGroup, APIResourceList) and the aggregated apidiscovery.k8s.io APIGroupDiscoveryList. Groups that only APIServices
 * naming a service have ({@link ServiceGroup}) are listed after the registry's, with their versions and no resources,
 * as upstream lists aggregated groups (typically at groupPriorityMinimum 100, below every built-in and custom resource
 * group).
 */
public final class DiscoveryDocuments {

    private final ResourceRegistry registry;

    public DiscoveryDocuments(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** {@code /api}. */
    public ObjectNode apiVersions(String serverAddress) {
        ObjectNode doc = Json.object();
        doc.put("kind", "APIVersions");
        doc.putArray("versions").add("v1");
        ObjectNode cidr = doc.putArray("serverAddressByClientCIDRs").addObject();
        cidr.put("clientCIDR", "0.0.0.0/0");
        cidr.put("serverAddress", serverAddress);
        return doc;
    }

    /** {@code /apis}: the registry's named groups, then those only APIServices naming a service have. */
    public ObjectNode groupList(List<ServiceGroup> serviceGroups) {
        ObjectNode doc = Json.object();
        doc.put("kind", "APIGroupList");
        doc.put("apiVersion", "v1");
        ArrayNode groups = doc.putArray("groups");
        for (String group : namedGroups(serviceGroups)) {
            groups.add(groupBody(group, versions(group, serviceGroups)));
        }
        return doc;
    }

    /** {@code /apis/<group>}, or null if the group is neither served nor sent to a service by an APIService. */
    public ObjectNode group(String group, List<ServiceGroup> serviceGroups) {
        List<String> versions = versions(group, serviceGroups);
        if (group.isEmpty() || versions.isEmpty()) {
            return null;
        }
        ObjectNode doc = Json.object();
        doc.put("kind", "APIGroup");
        doc.put("apiVersion", "v1");
        doc.setAll(groupBody(group, versions));
        return doc;
    }

    /** Every named group, the registry's first (in its order), then the service groups (in theirs). */
    private List<String> namedGroups(List<ServiceGroup> serviceGroups) {
        Set<String> groups = new LinkedHashSet<>(registry.groups());
        serviceGroups.forEach(g -> groups.add(g.name()));
        groups.remove("");
        return List.copyOf(groups);
    }

    /** The group's versions, the registry's (preferred first), then those only a service has. */
    private List<String> versions(String group, List<ServiceGroup> serviceGroups) {
        Set<String> versions = new LinkedHashSet<>(registry.versions(group));
        for (ServiceGroup serviceGroup : serviceGroups) {
            if (serviceGroup.name().equals(group)) {
                versions.addAll(serviceGroup.versions());
            }
        }
        return List.copyOf(versions);
    }

    private static ObjectNode groupBody(String group, List<String> groupVersions) {
        ObjectNode body = Json.object();
        body.put("name", group);
        ArrayNode versions = body.putArray("versions");
        for (String version : groupVersions) {
            ObjectNode v = versions.addObject();
            v.put("groupVersion", group + "/" + version);
            v.put("version", version);
        }
        String preferred = groupVersions.get(0);
        ObjectNode p = body.putObject("preferredVersion");
        p.put("groupVersion", group + "/" + preferred);
        p.put("version", preferred);
        return body;
    }

    /** {@code /api/v1} or {@code /apis/<group>/<version>}, or null if not served. */
    public ObjectNode resourceList(String group, String version) {
        List<ResourceType> resources = registry.resources(group, version);
        if (resources.isEmpty()) {
            return null;
        }
        ObjectNode doc = Json.object();
        doc.put("kind", "APIResourceList");
        doc.put("apiVersion", "v1");
        doc.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode list = doc.putArray("resources");
        for (ResourceType type : resources) {
            ObjectNode r = list.addObject();
            r.put("name", type.plural());
            r.put("singularName", type.singular());
            r.put("namespaced", type.namespaced());
            r.put("kind", type.kind());
            strings(r.putArray("verbs"), type.verbs());
            if (!type.shortNames().isEmpty()) {
                strings(r.putArray("shortNames"), type.shortNames());
            }
            if (!type.categories().isEmpty()) {
                strings(r.putArray("categories"), type.categories());
            }
            for (Subresource sub : subresources(type)) {
                ObjectNode s = list.addObject();
                s.put("name", type.plural() + "/" + sub.name());
                s.put("singularName", "");
                s.put("namespaced", type.namespaced());
                // upstream names the group and version only when the kind lives elsewhere (Scale, Eviction):
                // pods/log, pods/binding and pods/exec speak core/v1 kinds and carry neither
                if (!sub.sameKindAsParent()
                        && (!sub.group().equals(type.group()) || !sub.version().equals(type.version()))) {
                    s.put("group", sub.group());
                    s.put("version", sub.version());
                }
                s.put("kind", sub.sameKindAsParent() ? type.kind() : sub.kind());
                strings(s.putArray("verbs"), sub.verbs());
            }
        }
        return doc;
    }

    /**
     * The aggregated document of the core group ({@code core = true}, for /api) or of all named groups. A version only
     * a service has is listed as upstream lists one whose service it could not reach: no resources, stale.
     */
    public ObjectNode aggregated(boolean core, String apiVersion, List<ServiceGroup> serviceGroups) {
        ObjectNode doc = Json.object();
        doc.put("kind", "APIGroupDiscoveryList");
        doc.put("apiVersion", apiVersion);
        doc.putObject("metadata");
        ArrayNode items = doc.putArray("items");
        for (String group : core ? List.of("") : namedGroups(serviceGroups)) {
            ObjectNode item = items.addObject();
            ObjectNode metadata = item.putObject("metadata");
            if (!group.isEmpty()) {
                metadata.put("name", group);
            }
            metadata.putNull("creationTimestamp");
            ArrayNode versions = item.putArray("versions");
            for (String version : versions(group, core ? List.of() : serviceGroups)) {
                ObjectNode v = versions.addObject();
                v.put("version", version);
                List<ResourceType> served = registry.resources(group, version);
                if (served.isEmpty()) {
                    v.put("freshness", "Stale");
                    continue;
                }
                ArrayNode resources = v.putArray("resources");
                for (ResourceType type : served) {
                    resources.add(aggregatedResource(type));
                }
                v.put("freshness", "Current");
            }
        }
        return doc;
    }

    private static ObjectNode aggregatedResource(ResourceType type) {
        ObjectNode r = Json.object();
        r.put("resource", type.plural());
        ObjectNode kind = r.putObject("responseKind");
        kind.put("group", type.group());
        kind.put("version", type.version());
        kind.put("kind", type.kind());
        r.put("scope", type.namespaced() ? "Namespaced" : "Cluster");
        r.put("singularResource", type.singular());
        strings(r.putArray("verbs"), type.verbs());
        if (!type.shortNames().isEmpty()) {
            strings(r.putArray("shortNames"), type.shortNames());
        }
        if (!type.categories().isEmpty()) {
            strings(r.putArray("categories"), type.categories());
        }
        List<Subresource> subresources = subresources(type);
        if (!subresources.isEmpty()) {
            ArrayNode subs = r.putArray("subresources");
            for (Subresource sub : subresources) {
                ObjectNode s = subs.addObject();
                s.put("subresource", sub.name());
                ObjectNode subKind = s.putObject("responseKind");
                subKind.put("group", sub.sameKindAsParent() ? type.group() : sub.group());
                subKind.put("version", sub.sameKindAsParent() ? type.version() : sub.version());
                subKind.put("kind", sub.sameKindAsParent() ? type.kind() : sub.kind());
                strings(s.putArray("verbs"), sub.verbs());
            }
        }
        return r;
    }

    /**
     * The registry's subresources and the connections relayed to kubelets, sorted by name as upstream lists them
     * (pods/attach, pods/binding, ..., pods/status).
     */
    private static List<Subresource> subresources(ResourceType type) {
        List<Subresource> connect = ConnectSubresources.of(type);
        if (connect.isEmpty()) {
            return type.subresources();
        }
        List<Subresource> all = new java.util.ArrayList<>(type.subresources());
        all.addAll(connect);
        all.sort(java.util.Comparator.comparing(Subresource::name));
        return all;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}

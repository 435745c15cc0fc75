package io.kube4j.apiserver.discovery;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.resource.Subresource;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Builds the discovery documents from the resource registry: the legacy ones (APIVersions, APIGroupList,
 * APIGroup, APIResourceList) and the aggregated apidiscovery.k8s.io APIGroupDiscoveryList.
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

    /** {@code /apis}. */
    public ObjectNode groupList() {
        ObjectNode doc = Json.object();
        doc.put("kind", "APIGroupList");
        doc.put("apiVersion", "v1");
        ArrayNode groups = doc.putArray("groups");
        for (String group : registry.groups()) {
            if (!group.isEmpty()) {
                groups.add(groupBody(group));
            }
        }
        return doc;
    }

    /** {@code /apis/<group>}, or null if the group is not served. */
    public ObjectNode group(String group) {
        if (group.isEmpty() || registry.versions(group).isEmpty()) {
            return null;
        }
        ObjectNode doc = Json.object();
        doc.put("kind", "APIGroup");
        doc.put("apiVersion", "v1");
        doc.setAll(groupBody(group));
        return doc;
    }

    private ObjectNode groupBody(String group) {
        ObjectNode body = Json.object();
        body.put("name", group);
        ArrayNode versions = body.putArray("versions");
        for (String version : registry.versions(group)) {
            ObjectNode v = versions.addObject();
            v.put("groupVersion", group + "/" + version);
            v.put("version", version);
        }
        String preferred = registry.preferredVersion(group).orElseThrow();
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

    /** The aggregated document of the core group ({@code core = true}, for /api) or of all named groups. */
    public ObjectNode aggregated(boolean core, String apiVersion) {
        ObjectNode doc = Json.object();
        doc.put("kind", "APIGroupDiscoveryList");
        doc.put("apiVersion", apiVersion);
        doc.putObject("metadata");
        ArrayNode items = doc.putArray("items");
        for (String group : registry.groups()) {
            if (group.isEmpty() != core) {
                continue;
            }
            ObjectNode item = items.addObject();
            ObjectNode metadata = item.putObject("metadata");
            if (!group.isEmpty()) {
                metadata.put("name", group);
            }
            metadata.putNull("creationTimestamp");
            ArrayNode versions = item.putArray("versions");
            for (String version : registry.versions(group)) {
                ObjectNode v = versions.addObject();
                v.put("version", version);
                ArrayNode resources = v.putArray("resources");
                for (ResourceType type : registry.resources(group, version)) {
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

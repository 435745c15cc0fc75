package io.kube4j.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.math.BigDecimal;

/**
 * {@code count/RESOURCE.GROUP} for kinds the controller keeps no informer of (ingresses, leases, custom resources,
 * ...): upstream's quota monitor counts every namespaced resource discovery lists with create, list, watch and delete
 * (its generic object count evaluator). The resource is found through discovery (the group's preferred version) and
 * its objects listed live, so a kind served later (a new CRD) is counted from then on.
 */
final class ObjectCounter {
    private final KubernetesClient client;

    ObjectCounter(KubernetesClient client) {
        this.client = client;
    }

    /** How many objects of {@code resource[.group]} the namespace holds; null when no such countable kind is served. */
    BigDecimal count(String resourceAndGroup, String ns) {
        int dot = resourceAndGroup.indexOf('.');
        String plural = dot < 0 ? resourceAndGroup : resourceAndGroup.substring(0, dot);
        String group = dot < 0 ? "" : resourceAndGroup.substring(dot + 1);
        try {
            String groupVersion = "v1";
            if (!group.isEmpty()) {
                APIGroup apiGroup = client.getApiGroup(group);
                if (apiGroup == null || apiGroup.getPreferredVersion() == null) {
                    return null;
                }
                groupVersion = apiGroup.getPreferredVersion().getGroupVersion();
            }
            APIResourceList resources = client.getApiResources(groupVersion);
            APIResource found = resources == null ? null : resources.getResources().stream()
                    .filter(r -> r.getName().equals(plural) && Boolean.TRUE.equals(r.getNamespaced())
                            && r.getVerbs().containsAll(java.util.List.of("create", "list", "watch", "delete")))
                    .findFirst().orElse(null);
            if (found == null) {
                return null;
            }
            ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(group)
                    .withVersion(groupVersion.substring(groupVersion.indexOf('/') + 1)).withPlural(plural)
                    .withKind(found.getKind()).withNamespaced(true).build();
            // upstream's monitor counts from a metadata informer; a list of the namespace is the same set
            return BigDecimal.valueOf(client.genericKubernetesResources(context).inNamespace(ns)
                    .list(new ListOptionsBuilder().build()).getItems().size());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }
}

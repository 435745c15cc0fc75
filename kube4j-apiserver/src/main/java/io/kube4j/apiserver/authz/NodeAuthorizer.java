package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The Node authorizer: a kubelet ({@code system:node:<name>} in {@code system:nodes}) may read only the Secrets,
 * ConfigMaps, PersistentVolumeClaims and PersistentVolumes of pods bound to its node, request tokens only for
 * those pods' service accounts, and modify only its own Node, Lease and CSINode. Everything else it may do is
 * what the {@code system:node} rules allow. Other users get no opinion.
 */
public final class NodeAuthorizer implements Authorizer {

    static final String NO_RELATIONSHIP = "no relationship found between node '%s' and this object";
    static final String INDIVIDUAL_ONLY = "can only get individual resources of this type";
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

    private final ObjectLookup lookup;
    private final List<PolicyRule> nodeRules;

    public NodeAuthorizer(ObjectLookup lookup) {
        this.lookup = lookup;
        this.nodeRules = DefaultPolicy.nodeRules().stream().map(DefaultPolicy.Rule::toPolicyRule).toList();
    }

    @Override
    public Decision authorize(UserInfo user, Attributes a) {
        String node = user.nodeName();
        if (node == null) {
            return Decision.noOpinion("");
        }
        if (a.resourceRequest() && a.apiGroup().isEmpty()) {
            switch (a.resource()) {
                case "secrets":
                    return readReferenced(node, a, PodReferences::secrets);
                case "configmaps":
                    return readReferenced(node, a, PodReferences::configMaps);
                case "persistentvolumeclaims":
                    if (a.subresource().equals("status")) {
                        return namedWrite(node, a, PodReferences::persistentVolumeClaims,
                                Set.of("get", "update", "patch"));
                    }
                    return getReferenced(node, a, PodReferences::persistentVolumeClaims);
                case "persistentvolumes":
                    return persistentVolume(node, a);
                case "serviceaccounts":
                    if (a.subresource().equals("token")) {
                        return serviceAccountToken(node, a);
                    }
                    break;
                case "nodes":
                    return ownObject(node, a, a.name());
                default:
                    break;
            }
        }
        if (a.resourceRequest() && a.apiGroup().equals("coordination.k8s.io") && a.resource().equals("leases")) {
            if (!a.namespace().equals(NODE_LEASE_NAMESPACE)) {
                return Decision.noOpinion("can only access node lease with the same name as the requesting node");
            }
            return ownObject(node, a, a.name());
        }
        if (a.resourceRequest() && a.apiGroup().equals("storage.k8s.io") && a.resource().equals("csinodes")) {
            return ownObject(node, a, a.name());
        }
        return rulesAllow(a) ? Decision.allow("") : Decision.noOpinion("");
    }

    private boolean rulesAllow(Attributes a) {
        return nodeRules.stream().anyMatch(rule -> rule.allows(a));
    }

    /** Reads and creates of any; updates, patches and deletes of its own (name = the node's). */
    private Decision ownObject(String node, Attributes a, String name) {
        if (!rulesAllow(a)) {
            return Decision.noOpinion("");
        }
        switch (a.verb()) {
            case "get", "list", "watch", "create" -> {
                return Decision.allow("");
            }
            default -> {
                return node.equals(name) ? Decision.allow("")
                        : Decision.noOpinion(String.format(NO_RELATIONSHIP, node));
            }
        }
    }

    private Decision readReferenced(String node, Attributes a, Function<ObjectNode, Set<String>> references) {
        if (!Set.of("get", "list", "watch").contains(a.verb()) || !a.subresource().isEmpty() || a.name().isEmpty()) {
            return Decision.noOpinion(INDIVIDUAL_ONLY);
        }
        return referencedByPodOnNode(node, a.namespace(), a.name(), references);
    }

    private Decision getReferenced(String node, Attributes a, Function<ObjectNode, Set<String>> references) {
        if (!a.verb().equals("get") || !a.subresource().isEmpty() || a.name().isEmpty()) {
            return Decision.noOpinion(INDIVIDUAL_ONLY);
        }
        return referencedByPodOnNode(node, a.namespace(), a.name(), references);
    }

    private Decision namedWrite(String node, Attributes a, Function<ObjectNode, Set<String>> references,
                                Set<String> verbs) {
        if (!verbs.contains(a.verb()) || a.name().isEmpty()) {
            return Decision.noOpinion(INDIVIDUAL_ONLY);
        }
        return referencedByPodOnNode(node, a.namespace(), a.name(), references);
    }

    private Decision referencedByPodOnNode(String node, String namespace, String name,
                                           Function<ObjectNode, Set<String>> references) {
        for (ObjectNode pod : podsOnNode(node, namespace)) {
            if (references.apply(pod).contains(name)) {
                return Decision.allow("");
            }
        }
        return Decision.noOpinion(String.format(NO_RELATIONSHIP, node));
    }

    private Decision persistentVolume(String node, Attributes a) {
        if (!a.verb().equals("get") || a.name().isEmpty() || !a.subresource().isEmpty()) {
            return Decision.noOpinion(INDIVIDUAL_ONLY);
        }
        for (ObjectNode pod : podsOnNode(node, null)) {
            String namespace = Json.text(pod, "metadata", "namespace");
            for (String claim : PodReferences.persistentVolumeClaims(pod)) {
                String volume = lookup.get("persistentvolumeclaims", namespace, claim)
                        .map(pvc -> Json.text(pvc, "spec", "volumeName")).orElse(null);
                if (a.name().equals(volume)) {
                    return Decision.allow("");
                }
            }
        }
        return Decision.noOpinion(String.format(NO_RELATIONSHIP, node));
    }

    private Decision serviceAccountToken(String node, Attributes a) {
        if (!a.verb().equals("create") || a.name().isEmpty()) {
            return Decision.noOpinion("can only create tokens for individual service accounts");
        }
        for (ObjectNode pod : podsOnNode(node, a.namespace())) {
            if (PodReferences.serviceAccount(pod).equals(a.name())) {
                return Decision.allow("");
            }
        }
        return Decision.noOpinion(String.format(NO_RELATIONSHIP, node));
    }

    private List<ObjectNode> podsOnNode(String node, String namespace) {
        return lookup.list("pods", namespace == null || namespace.isEmpty() ? null : namespace).stream()
                .filter(pod -> node.equals(Json.text(pod, "spec", "nodeName")))
                .toList();
    }
}

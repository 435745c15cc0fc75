package io.kube4j.apiserver.authz;

import io.kube4j.api.status.ErrorAggregate;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The RBAC authorizer: a request is allowed when a rule of a role bound to the user - through a
 * ClusterRoleBinding, or a RoleBinding in the request's namespace - allows it. RBAC never denies; it has no
 * opinion, with the errors met on the way (a binding to a missing role) as the reason.
 */
public final class RbacAuthorizer implements Authorizer {

    private final RbacSource source;

    public RbacAuthorizer(RbacSource source) {
        this.source = source;
    }

    /** The rules that apply to {@code user} in {@code namespace} (cluster-wide ones only when it is empty). */
    public record ResolvedRules(List<PolicyRule> rules, List<String> errors) {
    }

    @Override
    public Decision authorize(UserInfo user, Attributes attributes) {
        List<String> errors = new ArrayList<>();
        for (ObjectNode binding : read(source::clusterRoleBindings, List.<ObjectNode>of(), errors)) {
            JsonNode subject = matchingSubject(binding, user, "");
            if (subject != null) {
                for (PolicyRule rule : roleRules(binding, "", errors)) {
                    if (rule.allows(attributes)) {
                        return Decision.allow(allowedBy(binding, subject, ""));
                    }
                }
            }
        }
        if (!attributes.namespace().isEmpty()) {
            for (ObjectNode binding : read(() -> source.roleBindings(attributes.namespace()), List.<ObjectNode>of(),
                    errors)) {
                JsonNode subject = matchingSubject(binding, user, attributes.namespace());
                if (subject != null) {
                    for (PolicyRule rule : roleRules(binding, attributes.namespace(), errors)) {
                        if (rule.allows(attributes)) {
                            return Decision.allow(allowedBy(binding, subject, attributes.namespace()));
                        }
                    }
                }
            }
        }
        return Decision.noOpinion(reason(errors));
    }

    public ResolvedRules rulesFor(UserInfo user, String namespace) {
        List<String> errors = new ArrayList<>();
        List<PolicyRule> rules = new ArrayList<>();
        for (ObjectNode binding : read(source::clusterRoleBindings, List.<ObjectNode>of(), errors)) {
            if (appliesTo(binding, user, "")) {
                rules.addAll(roleRules(binding, "", errors));
            }
        }
        if (namespace != null && !namespace.isEmpty()) {
            for (ObjectNode binding : read(() -> source.roleBindings(namespace), List.<ObjectNode>of(), errors)) {
                if (appliesTo(binding, user, namespace)) {
                    rules.addAll(roleRules(binding, namespace, errors));
                }
            }
        }
        return new ResolvedRules(rules, errors);
    }

    private static String reason(List<String> errors) {
        if (errors.isEmpty()) {
            return "";
        }
        return "RBAC: " + ErrorAggregate.message(errors);
    }

    /**
     * A read of RBAC objects; one that fails counts as an error met on the way, as upstream's rule resolver notes a
     * lister's error, and the rules it would have given are not there: {@code fallback} instead.
     */
    private static <T> T read(Supplier<T> read, T fallback, List<String> errors) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            errors.add(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return fallback;
        }
    }

    private List<PolicyRule> roleRules(ObjectNode binding, String namespace, List<String> errors) {
        String kind = Json.text(binding, "roleRef", "kind");
        String name = Json.text(binding, "roleRef", "name");
        if (name == null) {
            return List.of();
        }
        Optional<ObjectNode> role;
        if ("ClusterRole".equals(kind)) {
            role = read(() -> source.clusterRole(name), null, errors);
            if (role == null) {
                return List.of();
            }
            if (role.isEmpty()) {
                errors.add("clusterrole.rbac.authorization.k8s.io \"" + name + "\" not found");
            }
        } else if ("Role".equals(kind) && !namespace.isEmpty()) {
            role = read(() -> source.role(namespace, name), null, errors);
            if (role == null) {
                return List.of();
            }
            if (role.isEmpty()) {
                errors.add("role.rbac.authorization.k8s.io \"" + name + "\" not found");
            }
        } else {
            return List.of();
        }
        return role.map(r -> PolicyRule.listFromJson(r.get("rules"))).orElse(List.of());
    }

    /** Whether a binding's subjects include the user; {@code namespace} is the RoleBinding's, "" for cluster. */
    static boolean appliesTo(ObjectNode binding, UserInfo user, String namespace) {
        return matchingSubject(binding, user, namespace) != null;
    }

    /** The binding's first subject that is the user, or null; {@code namespace} as in {@link #appliesTo}. */
    private static JsonNode matchingSubject(ObjectNode binding, UserInfo user, String namespace) {
        JsonNode subjects = binding.get("subjects");
        if (subjects == null || !subjects.isArray()) {
            return null;
        }
        for (JsonNode subject : subjects) {
            if (subjectMatches(subject, user, namespace)) {
                return subject;
            }
        }
        return null;
    }

    /**
     * The reason of an allow, as upstream's RBAC describes the binding (the audit log's
     * {@code authorization.k8s.io/reason}, a SubjectAccessReview's {@code status.reason}):
     * {@code RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to Group "g"}, or for a RoleBinding
     * {@code RoleBinding "b/ns" of Role "r" to ServiceAccount "sa/ns"}.
     */
    private static String allowedBy(ObjectNode binding, JsonNode subject, String namespace) {
        String name = Json.text(binding, "metadata", "name");
        String kind = Json.text(subject, "kind");
        String subjectName = Json.text(subject, "name");
        if ("ServiceAccount".equals(kind)) {
            String subjectNamespace = Json.text(subject, "namespace");
            subjectName = subjectName + "/" + (subjectNamespace == null || subjectNamespace.isEmpty() ? namespace
                    : subjectNamespace);
        }
        return "RBAC: allowed by " + (namespace.isEmpty() ? "ClusterRoleBinding \"" + name
                : "RoleBinding \"" + name + "/" + namespace) + "\" of " + Json.text(binding, "roleRef", "kind")
                + " \"" + Json.text(binding, "roleRef", "name") + "\" to " + kind + " \"" + subjectName + "\"";
    }

    static boolean subjectMatches(JsonNode subject, UserInfo user, String namespace) {
        String kind = Json.text(subject, "kind");
        String name = Json.text(subject, "name");
        if (kind == null || name == null) {
            return false;
        }
        return switch (kind) {
            case "User" -> user.name().equals(name);
            case "Group" -> user.groups().contains(name);
            case "ServiceAccount" -> {
                String subjectNamespace = Json.text(subject, "namespace");
                String saNamespace = subjectNamespace == null || subjectNamespace.isEmpty() ? namespace
                        : subjectNamespace;
                yield !saNamespace.isEmpty() && user.name().equals(UserInfo.serviceAccountUser(saNamespace, name));
            }
            default -> false;
        };
    }
}

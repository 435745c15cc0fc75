package io.kube4j.apiserver.flowcontrol;

import io.kube4j.api.defaults.FlowControlDefaults;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.endpoints.RequestInfo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One FlowSchema read once into arrays, so that matching a request (upstream's {@code matchesFlowSchema}) walks
 * strings it already holds and allocates nothing: a rule matches when one of its subjects names the user and one of
 * its resource rules (for a resource request) or non-resource rules (otherwise) covers the request.
 */
final class CompiledSchema {

    static final int DISTINGUISH_NONE = 0;
    static final int DISTINGUISH_BY_USER = 1;
    static final int DISTINGUISH_BY_NAMESPACE = 2;

    final String name;
    final String uid;
    final long precedence;
    final String levelName;
    final int distinguisher;
    private final Rule[] rules;

    private CompiledSchema(String name, String uid, long precedence, String levelName, int distinguisher,
                           Rule[] rules) {
        this.name = name;
        this.uid = uid;
        this.precedence = precedence;
        this.levelName = levelName;
        this.distinguisher = distinguisher;
        this.rules = rules;
    }

    /** Reads a stored (validated) FlowSchema; fields of the wrong shape simply match nothing. */
    static CompiledSchema of(ObjectNode obj) {
        JsonNode spec = obj.path("spec");
        String method = text(spec.path("distinguisherMethod").get("type"));
        int distinguisher = switch (method) {
            case "ByUser" -> DISTINGUISH_BY_USER;
            case "ByNamespace" -> DISTINGUISH_BY_NAMESPACE;
            default -> DISTINGUISH_NONE;
        };
        List<Rule> rules = new ArrayList<>();
        for (JsonNode rule : spec.path("rules")) {
            rules.add(Rule.of(rule));
        }
        return new CompiledSchema(text(obj.path("metadata").get("name")), text(obj.path("metadata").get("uid")),
                spec.path("matchingPrecedence").asLong(FlowControlDefaults.DEFAULT_MATCHING_PRECEDENCE),
                text(spec.path("priorityLevelConfiguration").get("name")), distinguisher, rules.toArray(Rule[]::new));
    }

    /**
     * Whether the request matches. {@code info} is null for a non-resource request, whose {@code verb} is the
     * lower-case HTTP method and {@code path} the URL path.
     */
    boolean matches(UserInfo user, RequestInfo info, String verb, String path) {
        for (Rule rule : rules) {
            if (rule.matches(user, info, verb, path)) {
                return true;
            }
        }
        return false;
    }

    /** Upstream's flow distinguisher: the user name, the namespace (empty when cluster-scoped), or nothing. */
    String distinguisher(UserInfo user, RequestInfo info) {
        return switch (distinguisher) {
            case DISTINGUISH_BY_USER -> user.name();
            case DISTINGUISH_BY_NAMESPACE -> info == null || info.namespace() == null ? "" : info.namespace();
            default -> "";
        };
    }

    private record Rule(String[] users, String[] groups, String[] accountNamespaces, String[] accountNames,
                        ResourceRule[] resourceRules, NonResourceRule[] nonResourceRules) {

        static Rule of(JsonNode rule) {
            List<String> users = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            List<String> accountNamespaces = new ArrayList<>();
            List<String> accountNames = new ArrayList<>();
            for (JsonNode subject : rule.path("subjects")) {
                switch (text(subject.get("kind"))) {
                    case "User" -> users.add(text(subject.path("user").get("name")));
                    case "Group" -> groups.add(text(subject.path("group").get("name")));
                    case "ServiceAccount" -> {
                        accountNamespaces.add(text(subject.path("serviceAccount").get("namespace")));
                        accountNames.add(text(subject.path("serviceAccount").get("name")));
                    }
                    default -> {
                    }
                }
            }
            List<ResourceRule> resourceRules = new ArrayList<>();
            for (JsonNode r : rule.path("resourceRules")) {
                resourceRules.add(new ResourceRule(strings(r.get("verbs")), strings(r.get("apiGroups")),
                        strings(r.get("resources")), strings(r.get("namespaces")),
                        r.path("clusterScope").asBoolean(false)));
            }
            List<NonResourceRule> nonResourceRules = new ArrayList<>();
            for (JsonNode r : rule.path("nonResourceRules")) {
                nonResourceRules.add(new NonResourceRule(strings(r.get("verbs")), strings(r.get("nonResourceURLs"))));
            }
            return new Rule(users.toArray(String[]::new), groups.toArray(String[]::new),
                    accountNamespaces.toArray(String[]::new), accountNames.toArray(String[]::new),
                    resourceRules.toArray(ResourceRule[]::new), nonResourceRules.toArray(NonResourceRule[]::new));
        }

        boolean matches(UserInfo user, RequestInfo info, String verb, String path) {
            if (!subjectMatches(user)) {
                return false;
            }
            if (info != null) {
                for (ResourceRule r : resourceRules) {
                    if (r.matches(info)) {
                        return true;
                    }
                }
                return false;
            }
            for (NonResourceRule r : nonResourceRules) {
                if (r.matches(verb, path)) {
                    return true;
                }
            }
            return false;
        }

        private boolean subjectMatches(UserInfo user) {
            String name = user.name();
            for (String u : users) {
                if (u.equals("*") || u.equals(name)) {
                    return true;
                }
            }
            if (groups.length > 0) {
                List<String> userGroups = user.groups();
                for (String g : groups) {
                    if (g.equals("*")) {
                        return true;
                    }
                    for (int i = 0, n = userGroups.size(); i < n; i++) {
                        if (g.equals(userGroups.get(i))) {
                            return true;
                        }
                    }
                }
            }
            for (int i = 0; i < accountNamespaces.length; i++) {
                if (isServiceAccount(name, accountNamespaces[i], accountNames[i])) {
                    return true;
                }
            }
            return false;
        }

        /** {@code system:serviceaccount:<namespace>:<name>}, any name for "*", compared in place. */
        private static boolean isServiceAccount(String user, String namespace, String account) {
            String prefix = UserInfo.SERVICE_ACCOUNT_PREFIX;
            int nsStart = prefix.length();
            int nsEnd = nsStart + namespace.length();
            if (!user.startsWith(prefix) || user.length() <= nsEnd || user.charAt(nsEnd) != ':'
                    || !user.regionMatches(nsStart, namespace, 0, namespace.length())) {
                return false;
            }
            if (account.equals("*")) {
                return user.indexOf(':', nsEnd + 1) < 0;
            }
            return user.length() == nsEnd + 1 + account.length()
                    && user.regionMatches(nsEnd + 1, account, 0, account.length());
        }
    }

    private record ResourceRule(String[] verbs, String[] groups, String[] resources, String[] namespaces,
                                boolean clusterScope) {

        boolean matches(RequestInfo info) {
            if (!contains(verbs, info.verb()) || !contains(groups, info.group()) || !resourceMatches(info)) {
                return false;
            }
            String namespace = info.namespace();
            if (namespace == null || namespace.isEmpty()) {
                return clusterScope;
            }
            return contains(namespaces, namespace);
        }

        /** "*", the resource, or "resource/subresource" for a subresource request (compared without joining). */
        private boolean resourceMatches(RequestInfo info) {
            String resource = info.resource();
            String sub = info.subresource();
            for (String r : resources) {
                if (r.equals("*")) {
                    return true;
                }
                if (sub == null || sub.isEmpty()) {
                    if (r.equals(resource)) {
                        return true;
                    }
                } else if (r.length() == resource.length() + 1 + sub.length() && r.startsWith(resource)
                        && r.charAt(resource.length()) == '/' && r.endsWith(sub)) {
                    return true;
                }
            }
            return false;
        }
    }

    private record NonResourceRule(String[] verbs, String[] urls) {

        boolean matches(String verb, String path) {
            if (!contains(verbs, verb)) {
                return false;
            }
            for (String url : urls) {
                if (url.equals("*") || url.equals(path)) {
                    return true;
                }
                // "/foo/*" covers /foo and everything under it
                if (url.endsWith("/*")) {
                    int prefix = url.length() - 2;
                    if (path.regionMatches(0, url, 0, prefix)
                            && (path.length() == prefix || path.charAt(prefix) == '/')) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static boolean contains(String[] values, String value) {
        for (String v : values) {
            if (v.equals("*") || v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String[] strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null) {
            for (JsonNode item : node) {
                if (item.isString()) {
                    out.add(item.asString());
                }
            }
        }
        return out.toArray(String[]::new);
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() ? node.asString() : "";
    }
}

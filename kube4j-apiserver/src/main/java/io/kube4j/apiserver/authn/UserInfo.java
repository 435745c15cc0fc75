package io.kube4j.apiserver.authn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Who a request acts as: user name, uid, groups and extra attributes, as upstream's user.Info. */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    public static final String ANONYMOUS_USER = "system:anonymous";
    public static final String ALL_UNAUTHENTICATED = "system:unauthenticated";
    public static final String ALL_AUTHENTICATED = "system:authenticated";
    public static final String SYSTEM_MASTERS = "system:masters";
    public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    public static final String SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
    public static final String NODE_PREFIX = "system:node:";
    public static final String NODES_GROUP = "system:nodes";

    public static final UserInfo ANONYMOUS = new UserInfo(ANONYMOUS_USER, "", List.of(ALL_UNAUTHENTICATED), Map.of());

    public UserInfo {
        uid = uid == null ? "" : uid;
        groups = groups == null ? List.of() : List.copyOf(groups);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (extra != null) {
            extra.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        }
        extra = java.util.Collections.unmodifiableMap(copy);
    }

    public static UserInfo of(String name, String... groups) {
        return new UserInfo(name, "", List.of(groups), Map.of());
    }

    public boolean isAnonymous() {
        return name.equals(ANONYMOUS_USER);
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }

    /** This user with {@code system:authenticated} added, which every authenticated user has. */
    public UserInfo withAuthenticatedGroup() {
        if (groups.contains(ALL_AUTHENTICATED) || isAnonymous()) {
            return this;
        }
        List<String> all = new ArrayList<>(groups);
        all.add(ALL_AUTHENTICATED);
        return new UserInfo(name, uid, all, extra);
    }

    /** The {@code system:serviceaccount:<ns>:<name>} user name. */
    public static String serviceAccountUser(String namespace, String name) {
        return SERVICE_ACCOUNT_PREFIX + namespace + ":" + name;
    }

    /** [namespace, name] of a service-account user name, or null. */
    public static String[] parseServiceAccountUser(String user) {
        if (user == null || !user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
            return null;
        }
        String[] parts = user.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return null;
        }
        return parts;
    }

    /** The node name of a {@code system:node:<name>} user in {@code system:nodes}, or null. */
    public String nodeName() {
        if (!name.startsWith(NODE_PREFIX) || !groups.contains(NODES_GROUP)) {
            return null;
        }
        String node = name.substring(NODE_PREFIX.length());
        return node.isEmpty() ? null : node;
    }
}

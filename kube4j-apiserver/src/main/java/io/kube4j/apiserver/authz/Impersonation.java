package io.kube4j.apiserver.authz;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.UserInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Impersonation headers ({@code kubectl --as}): {@code Impersonate-User}, {@code Impersonate-Group},
 * {@code Impersonate-Uid}, {@code Impersonate-Extra-<key>}. Each requested identity needs the
 * {@code impersonate} verb on users, groups, serviceaccounts (core group), uids or userextras/<key>
 * (authentication.k8s.io); the request then runs as the impersonated user.
 */
public final class Impersonation {

    public static final String USER = "impersonate-user";
    public static final String GROUP = "impersonate-group";
    public static final String UID = "impersonate-uid";
    public static final String EXTRA_PREFIX = "impersonate-extra-";

    private final Authorizer authorizer;

    public Impersonation(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /**
     * The user the request acts as. {@code headers} maps a lower-case header name to all its values (empty list
     * when absent); {@code headerNames} lists the request's header names (lower case), to find the extras.
     * Throws a 400 for malformed impersonation and a 403 when impersonation is not allowed.
     */
    public UserInfo apply(UserInfo requester, Function<String, List<String>> headers, Iterable<String> headerNames) {
        List<String> users = values(headers, USER);
        List<String> groups = values(headers, GROUP);
        List<String> uids = values(headers, UID);
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (String header : headerNames) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith(EXTRA_PREFIX) && lower.length() > EXTRA_PREFIX.length()) {
                String key = unescape(lower.substring(EXTRA_PREFIX.length()));
                extra.put(key, values(headers, lower));
            }
        }
        if (users.isEmpty()) {
            if (!groups.isEmpty() || !uids.isEmpty() || !extra.isEmpty()) {
                throw StatusException.badRequest(
                        "requested impersonation headers without specifying the Impersonate-User header");
            }
            return requester;
        }
        if (users.size() > 1 || uids.size() > 1) {
            throw StatusException.badRequest("only one Impersonate-User and Impersonate-Uid header may be given");
        }
        String userName = users.get(0);
        if (userName.isEmpty()) {
            throw StatusException.badRequest("Impersonate-User may not be empty");
        }
        String[] serviceAccount = UserInfo.parseServiceAccountUser(userName);
        if (serviceAccount != null) {
            check(requester, Attributes.resource("impersonate", "", "serviceaccounts", "", serviceAccount[0],
                    serviceAccount[1]));
        } else {
            check(requester, Attributes.resource("impersonate", "", "users", "", "", userName));
        }
        for (String group : groups) {
            check(requester, Attributes.resource("impersonate", "", "groups", "", "", group));
        }
        for (String uid : uids) {
            check(requester, Attributes.resource("impersonate", "authentication.k8s.io", "uids", "", "", uid));
        }
        for (Map.Entry<String, List<String>> e : extra.entrySet()) {
            for (String value : e.getValue()) {
                check(requester, Attributes.resource("impersonate", "authentication.k8s.io", "userextras",
                        e.getKey(), "", value));
            }
        }
        List<String> resultGroups = new ArrayList<>(groups);
        if (serviceAccount != null) {
            addIfAbsent(resultGroups, UserInfo.SERVICE_ACCOUNTS_GROUP);
            addIfAbsent(resultGroups, UserInfo.SERVICE_ACCOUNTS_GROUP + ":" + serviceAccount[0]);
        }
        if (userName.equals(UserInfo.ANONYMOUS_USER)) {
            addIfAbsent(resultGroups, UserInfo.ALL_UNAUTHENTICATED);
        } else {
            addIfAbsent(resultGroups, UserInfo.ALL_AUTHENTICATED);
        }
        return new UserInfo(userName, uids.isEmpty() ? "" : uids.get(0), resultGroups, extra);
    }

    /** Convenience for a header map whose repeated values were joined with commas. */
    public UserInfo apply(UserInfo requester, Map<String, String> joinedHeaders) {
        Map<String, List<String>> split = new LinkedHashMap<>();
        joinedHeaders.forEach((name, value) -> {
            List<String> values = new ArrayList<>();
            for (String part : value.split(",")) {
                if (!part.trim().isEmpty()) {
                    values.add(part.trim());
                }
            }
            split.put(name.toLowerCase(Locale.ROOT), values);
        });
        return apply(requester, name -> split.getOrDefault(name, List.of()), split.keySet());
    }

    private void check(UserInfo requester, Attributes attributes) {
        Decision decision = authorizer.authorize(requester, attributes);
        if (!decision.allowed()) {
            throw Forbidden.exception(requester, attributes, decision.reason());
        }
    }

    private static List<String> values(Function<String, List<String>> headers, String name) {
        List<String> values = headers.apply(name);
        return values == null ? List.of() : values;
    }

    private static void addIfAbsent(List<String> list, String value) {
        if (!list.contains(value)) {
            list.add(value);
        }
    }

    /** Extra keys are percent-encoded in header names (RFC 3986), as upstream decodes them. */
    private static String unescape(String key) {
        try {
            return java.net.URLDecoder.decode(key.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return key;
        }
    }
}

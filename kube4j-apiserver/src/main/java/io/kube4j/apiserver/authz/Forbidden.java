package io.kube4j.apiserver.authz;

import io.kube4j.api.status.StatusDetails;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.StatusReason;
import io.kube4j.apiserver.authn.UserInfo;

/** The 403 upstream answers a denied request with, worded exactly as its responsewriters.Forbidden. */
public final class Forbidden {

    private Forbidden() {
    }

    /** {@code User "jane" cannot list resource "pods" in API group "" in the namespace "default"}. */
    public static String message(UserInfo user, Attributes attributes) {
        String name = user == null ? "" : user.name();
        if (!attributes.resourceRequest()) {
            return "User \"" + name + "\" cannot " + attributes.verb() + " path \"" + attributes.path() + "\"";
        }
        String resource = attributes.combinedResource();
        if (!attributes.namespace().isEmpty()) {
            return "User \"" + name + "\" cannot " + attributes.verb() + " resource \"" + resource
                    + "\" in API group \"" + attributes.apiGroup() + "\" in the namespace \"" + attributes.namespace()
                    + "\"";
        }
        return "User \"" + name + "\" cannot " + attributes.verb() + " resource \"" + resource
                + "\" in API group \"" + attributes.apiGroup() + "\" at the cluster scope";
    }

    /** The Status error for a denied request; {@code reason} (may be empty) is the authorizers' explanation. */
    public static StatusException exception(UserInfo user, Attributes attributes, String reason) {
        String why = message(user, attributes);
        if (reason != null && !reason.isEmpty()) {
            why = why + ": " + reason;
        }
        if (!attributes.resourceRequest()) {
            return new StatusException(StatusReason.FORBIDDEN, "forbidden: " + why,
                    new StatusDetails(null, null, null, null, null, 0));
        }
        return StatusException.forbidden(attributes.apiGroup(), attributes.resource(), attributes.name(), why);
    }

    /**
     * What the request path answers when authorization fails: 403 as above, except that an anonymous request is
     * answered 401 - kube4j only lets anonymous users reach the public health and version endpoints, and a 401
     * makes clients present credentials.
     */
    public static StatusException denial(UserInfo user, Attributes attributes, String reason) {
        if (user == null || user.isAnonymous()) {
            return StatusException.unauthorized("Unauthorized");
        }
        return exception(user, attributes, reason);
    }
}

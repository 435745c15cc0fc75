package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.audit.AuditAnnotations;
import io.kube4j.apiserver.audit.AuditLog;
import io.kube4j.apiserver.authn.AuthenticationRequest;
import io.kube4j.apiserver.authn.RequestAuthenticator;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.endpoints.RequestInfo;
import io.kube4j.apiserver.http.ApiRequest;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The security gate of the request path in one call: authenticate (401), apply impersonation headers (400/403),
 * authorize (403, or 401 for anonymous requests). Returns the user the request acts as, for admission and the
 * review endpoints.
 */
public final class AccessControl {

    private final RequestAuthenticator authenticator;
    private final Authorizer authorizer;
    private final Impersonation impersonation;

    public AccessControl(RequestAuthenticator authenticator, Authorizer authorizer) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.impersonation = new Impersonation(authorizer);
    }

    public Authorizer authorizer() {
        return authorizer;
    }

    /** @param clientCertificates the TLS peer chain ({@code TlsContexts.peerCertificates}), empty without one */
    public UserInfo check(ApiRequest request, List<X509Certificate> clientCertificates) {
        UserInfo user = authenticate(request, clientCertificates);
        authorize(request, user);
        return user;
    }

    /** Authentication and impersonation only: the user the request acts as, or a 401/400/403 StatusException. */
    public UserInfo authenticate(ApiRequest request, List<X509Certificate> clientCertificates) {
        UserInfo user = authenticator.authenticate(new AuthenticationRequest(request::header, clientCertificates));
        return impersonation.apply(user, request.headers());
    }

    /** Authorization of {@code user} (from {@link #authenticate}) for the request: a 403 (401 anonymous) if denied. */
    public void authorize(ApiRequest request, UserInfo user) {
        authorize(request, user, null);
    }

    /**
     * As {@link #authorize(ApiRequest, UserInfo)}, noting the decision in {@code audit} (null: not audited) as
     * upstream's authorization filter does ({@link #audit}).
     */
    public void authorize(ApiRequest request, UserInfo user, AuditAnnotations audit) {
        if (!isClean(request.path())) {
            // "/healthz/../api/v1/secrets" must not pass as a public health check path
            throw io.kube4j.api.status.StatusException.badRequest("the request path is not clean: " + request.path());
        }
        RequestInfo info = RequestInfo.parse(request.method(), request.path(), request.booleanParam("watch"));
        Attributes attributes = Attributes.fromRequest(request.method(), request.path(), info,
                request.param("fieldSelector"));
        Decision decision = authorizer.authorize(user, attributes);
        if (decision.allowed() && isStreamingGet(attributes)) {
            // A WebSocket exec/attach/portforward arrives as a GET but runs commands in the pod: upstream (1.31+,
            // AuthorizePodWebsocketUpgradeCreatePermission) also asks for "create", as for SPDY's POST.
            attributes = Attributes.resource("create", attributes.apiGroup(), attributes.resource(),
                    attributes.subresource(), attributes.namespace(), attributes.name());
            decision = authorizer.authorize(user, attributes);
        }
        audit(audit, decision);
        if (!decision.allowed() && decision.errored()) {
            // as upstream's filter: an allow stands despite errors, a refusal with one is the server's failure
            throw new AuthorizationFailed(AuditLog.requestUri(request), decision.error());
        }
        if (!decision.allowed()) {
            throw Forbidden.denial(user, attributes, decision.reason());
        }
    }

    /**
     * Upstream's authorization audit annotations: {@code authorization.k8s.io/decision} ({@code allow} or
     * {@code forbid}) and {@code authorization.k8s.io/reason} (the authorizers' reason, empty when they gave none);
     * a refusal that came with an evaluation error only has the reason {@code internal error}.
     */
    public static void audit(AuditAnnotations audit, Decision decision) {
        if (audit != null && !decision.allowed() && decision.errored()) {
            audit.add("authorization.k8s.io/reason", "internal error");
        } else if (audit != null) {
            audit.add("authorization.k8s.io/decision", decision.allowed() ? "allow" : "forbid");
            audit.add("authorization.k8s.io/reason", decision.reason());
        }
    }

    private static boolean isStreamingGet(Attributes attributes) {
        return attributes.resourceRequest() && attributes.verb().equals("get")
                && attributes.apiGroup().isEmpty() && attributes.resource().equals("pods")
                && (attributes.subresource().equals("exec") || attributes.subresource().equals("attach")
                || attributes.subresource().equals("portforward"));
    }

    private static boolean isClean(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}

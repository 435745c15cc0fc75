package io.kube4j.kubelet.server.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The kubelet server's gate, as upstream's with anonymous access disabled and webhook authn/authz: a client
 * certificate of the cluster CA or a bearer token the API server accepts, then a SubjectAccessReview on
 * {@code nodes/<subresource>} of this node.
 */
public final class KubeletAuth {
    private static final Logger LOG = LoggerFactory.getLogger(KubeletAuth.class);

    /** What to answer: {@code status} 0 lets the request through. */
    public record Decision(int status, String message) {
        static final Decision ALLOW = new Decision(0, "");

        public boolean allowed() {
            return status == 0;
        }
    }

    private record AccessKey(User user, RequestAttributes attributes) {
    }

    private final ClientCertificateAuthenticator certificates;
    private final TokenReviewer tokens;
    private final AccessReviewer access;
    private final String nodeName;
    private final ReviewCache<String, Optional<User>> tokenCache;
    private final ReviewCache<AccessKey, Boolean> accessCache;

    public KubeletAuth(X509Certificate clientCa, TokenReviewer tokens, AccessReviewer access, String nodeName) {
        this(clientCa, tokens, access, nodeName, Clock.systemUTC());
    }

    KubeletAuth(X509Certificate clientCa, TokenReviewer tokens, AccessReviewer access, String nodeName, Clock clock) {
        this.certificates = new ClientCertificateAuthenticator(clientCa);
        this.tokens = tokens;
        this.access = access;
        this.nodeName = nodeName;
        this.tokenCache = new ReviewCache<>(user -> user.isPresent() ? Duration.ofMinutes(2) : Duration.ofSeconds(10),
                clock);
        this.accessCache = new ReviewCache<>(allowed -> allowed ? Duration.ofMinutes(5) : Duration.ofSeconds(30), clock);
    }

    public Decision check(String method, String path, List<X509Certificate> peerCertificates, String authorization) {
        Optional<User> user;
        try {
            user = authenticate(peerCertificates, authorization);
        } catch (RuntimeException e) {
            LOG.warn("kubelet server: cannot authenticate a request: {}", e.getMessage());
            return new Decision(401, "Unauthorized");
        }
        if (user.isEmpty()) {
            return new Decision(401, "Unauthorized");
        }
        RequestAttributes attributes = RequestAttributes.of(method, path, nodeName);
        String who = "(user=" + user.get().name() + ", verb=" + attributes.verb() + ", resource="
                + attributes.resource() + ", subresource=" + attributes.subresource() + ")";
        try {
            if (accessCache.get(new AccessKey(user.get(), attributes), k -> access.allowed(k.user(), k.attributes()))) {
                return Decision.ALLOW;
            }
        } catch (RuntimeException e) {
            LOG.warn("kubelet server: cannot authorize {}: {}", who, e.getMessage());
            return new Decision(500, "Authorization error " + who);
        }
        return new Decision(403, "Forbidden " + who);
    }

    private Optional<User> authenticate(List<X509Certificate> peerCertificates, String authorization) {
        Optional<User> byCertificate = certificates.authenticate(peerCertificates);
        if (byCertificate.isPresent()) {
            return byCertificate;
        }
        String token = bearerToken(authorization);
        if (token == null) {
            return Optional.empty();
        }
        return tokenCache.get(token, tokens::review);
    }

    /** As upstream's bearer token authenticator: "Bearer" case-insensitively, one space-free token. */
    static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String[] parts = authorization.trim().split(" ");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("bearer") || parts[1].isEmpty()) {
            return null;
        }
        return parts[1];
    }
}

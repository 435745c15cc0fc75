package io.kube4j.apiserver.security;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.admission.AdmissionChain;
import io.kube4j.apiserver.admission.StandardAdmission;
import io.kube4j.apiserver.authn.Authenticator;
import io.kube4j.apiserver.authn.BootstrapTokenAuthenticator;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.authn.RequestAuthenticator;
import io.kube4j.apiserver.authn.ServiceAccountTokenAuthenticator;
import io.kube4j.apiserver.authn.ServiceAccountTokens;
import io.kube4j.apiserver.authn.TokenAuthenticator;
import io.kube4j.apiserver.authn.TokenFileAuthenticator;
import io.kube4j.apiserver.authn.TokenIssuer;
import io.kube4j.apiserver.authn.UnionTokenAuthenticator;
import io.kube4j.apiserver.authn.X509Authenticator;
import io.kube4j.apiserver.authz.AccessControl;
import io.kube4j.apiserver.authz.AccessReviews;
import io.kube4j.apiserver.authz.Authorizer;
import io.kube4j.apiserver.authz.LookupRbacSource;
import io.kube4j.apiserver.authz.NodeAuthorizer;
import io.kube4j.apiserver.authz.RbacAuthorizer;
import io.kube4j.apiserver.authz.UnionAuthorizer;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything secure serving needs, built once at start: the cluster PKI, the authenticators (x509 client
 * certificates, static token file, service-account JWTs, bootstrap tokens), the authorizers (system:masters,
 * Node, RBAC over the stored RBAC objects), the review APIs, the service-account token issuer and the admission
 * chain.
 */
public final class ApiSecurity {

    /**
     * Who a request acts as under insecure serving ({@code ApiServerConfig.security() == null}), as upstream's old
     * insecure port: a member of system:masters.
     */
    public static final io.kube4j.apiserver.authn.UserInfo INSECURE_USER = new io.kube4j.apiserver.authn.UserInfo(
            "system:unsecured", "", List.of(io.kube4j.apiserver.authn.UserInfo.SYSTEM_MASTERS,
            io.kube4j.apiserver.authn.UserInfo.ALL_AUTHENTICATED), java.util.Map.of());

    private final ClusterPki pki;
    private final ObjectLookup lookup;
    private final AccessControl accessControl;
    private final AccessReviews reviews;
    private final TokenIssuer tokenIssuer;
    private final TokenAuthenticator tokenAuthenticator;
    private final List<String> apiAudiences;
    private final AdmissionChain admission;

    private ApiSecurity(ClusterPki pki, ObjectLookup lookup, AccessControl accessControl, AccessReviews reviews,
                        TokenIssuer tokenIssuer, TokenAuthenticator tokenAuthenticator, List<String> apiAudiences,
                        AdmissionChain admission) {
        this.pki = pki;
        this.lookup = lookup;
        this.accessControl = accessControl;
        this.reviews = reviews;
        this.tokenIssuer = tokenIssuer;
        this.tokenAuthenticator = tokenAuthenticator;
        this.apiAudiences = apiAudiences;
        this.admission = admission;
    }

    /** @param tokenAuthFile {@code --token-auth-file}, or null */
    public static ApiSecurity create(ClusterPki pki, Resources resources, Path tokenAuthFile, Clock clock)
            throws IOException {
        ObjectLookup lookup = new RegistryObjectLookup(resources);
        List<String> audiences = List.of(ServiceAccountTokens.DEFAULT_ISSUER);
        ServiceAccountTokenAuthenticator serviceAccounts = new ServiceAccountTokenAuthenticator(
                List.of(pki.serviceAccountKey().getPublic()), List.of(ServiceAccountTokens.DEFAULT_ISSUER), audiences,
                lookup, clock);
        BootstrapTokenAuthenticator bootstrap = new BootstrapTokenAuthenticator(lookup, clock);
        List<Authenticator> authenticators = new ArrayList<>();
        List<TokenAuthenticator> tokenAuthenticators = new ArrayList<>();
        authenticators.add(new X509Authenticator(List.of(pki.caCertificate()), clock));
        if (tokenAuthFile != null) {
            TokenFileAuthenticator tokenFile;
            try {
                tokenFile = TokenFileAuthenticator.load(tokenAuthFile);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--token-auth-file " + tokenAuthFile + ": " + e.getMessage(), e);
            }
            authenticators.add(tokenFile);
            tokenAuthenticators.add(tokenFile);
        }
        authenticators.add(serviceAccounts);
        authenticators.add(bootstrap);
        tokenAuthenticators.add(serviceAccounts);
        tokenAuthenticators.add(bootstrap);
        RbacAuthorizer rbac = new RbacAuthorizer(new LookupRbacSource(lookup));
        Authorizer authorizer = UnionAuthorizer.standard(new NodeAuthorizer(lookup), rbac);
        AccessControl accessControl = new AccessControl(new RequestAuthenticator(authenticators, true), authorizer);
        TokenIssuer issuer = new TokenIssuer(pki.serviceAccountKey(), ServiceAccountTokens.DEFAULT_ISSUER, audiences,
                clock);
        AdmissionChain admission = StandardAdmission.chain(lookup, quota -> writeQuotaStatus(resources, quota),
                authorizer, new io.kube4j.apiserver.admission.policy.RegistryParamSource(resources));
        return new ApiSecurity(pki, lookup, accessControl, new AccessReviews(authorizer, rbac), issuer,
                new UnionTokenAuthenticator(tokenAuthenticators), audiences, admission);
    }

    /** Compare-and-swap of a quota's status: the stored quota, or empty when someone else changed it first. */
    private static Optional<ObjectNode> writeQuotaStatus(Resources resources, ObjectNode quota) {
        GenericRegistry quotas = resources.find("", "v1", "resourcequotas").orElseThrow();
        try {
            return Optional.of(quotas.update(Json.text(quota, "metadata", "namespace"),
                    Json.text(quota, "metadata", "name"), quota.deepCopy(), false, true));
        } catch (StatusException e) {
            if (e.code() == 409) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public ClusterPki pki() {
        return pki;
    }

    public ObjectLookup lookup() {
        return lookup;
    }

    public AccessControl accessControl() {
        return accessControl;
    }

    public AccessReviews reviews() {
        return reviews;
    }

    public TokenIssuer tokenIssuer() {
        return tokenIssuer;
    }

    public TokenAuthenticator tokenAuthenticator() {
        return tokenAuthenticator;
    }

    public List<String> apiAudiences() {
        return apiAudiences;
    }

    public AdmissionChain admission() {
        return admission;
    }
}

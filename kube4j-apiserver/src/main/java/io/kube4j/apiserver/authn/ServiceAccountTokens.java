package io.kube4j.apiserver.authn;

/** Claim names and defaults of service-account tokens, as upstream's serviceaccount package has them. */
public final class ServiceAccountTokens {

    /** Issuer and API audience of bound tokens when none is configured (upstream's default issuer). */
    public static final String DEFAULT_ISSUER = "https://kubernetes.default.svc";
    public static final String LEGACY_ISSUER = "kubernetes/serviceaccount";

    public static final String LEGACY_NAMESPACE = "kubernetes.io/serviceaccount/namespace";
    public static final String LEGACY_SECRET_NAME = "kubernetes.io/serviceaccount/secret.name";
    public static final String LEGACY_SA_NAME = "kubernetes.io/serviceaccount/service-account.name";
    public static final String LEGACY_SA_UID = "kubernetes.io/serviceaccount/service-account.uid";

    public static final String PRIVATE_CLAIM = "kubernetes.io";

    public static final String EXTRA_POD_NAME = "authentication.kubernetes.io/pod-name";
    public static final String EXTRA_POD_UID = "authentication.kubernetes.io/pod-uid";
    public static final String EXTRA_NODE_NAME = "authentication.kubernetes.io/node-name";
    public static final String EXTRA_NODE_UID = "authentication.kubernetes.io/node-uid";
    public static final String EXTRA_CREDENTIAL_ID = "authentication.kubernetes.io/credential-id";

    public static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    public static final long MIN_EXPIRATION_SECONDS = 600;
    public static final long MAX_EXPIRATION_SECONDS = 1L << 32;

    private ServiceAccountTokens() {
    }
}

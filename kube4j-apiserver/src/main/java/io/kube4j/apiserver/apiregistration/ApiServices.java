package io.kube4j.apiserver.apiregistration;

/**
 * The apiregistration.k8s.io/v1 {@code apiservices} resource (a built-in type of the resource registry, as upstream's
 * kube-aggregator serves it: cluster-scoped, no short name, category {@code api-extensions}, a status subresource).
 * An APIService is named {@code <version>.<group>}: {@code v1.} for the core group.
 */
final class ApiServices {

    static final String GROUP = "apiregistration.k8s.io";
    static final String VERSION = "v1";
    static final String API_VERSION = GROUP + "/" + VERSION;
    static final String KIND = "APIService";
    static final String PLURAL = "apiservices";

    private ApiServices() {
    }

    /** The name an APIService for group/version must have. */
    static String name(String group, String version) {
        return version + "." + group;
    }
}

package io.kube4j.api.openapi;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where fabric8 keeps the Java class of each Kubernetes type, and the definition name upstream's OpenAPI gives it.
 * fabric8 puts core/v1 and meta/v1 types together in {@code io.fabric8.kubernetes.api.model} and other groups in
 * {@code io.fabric8.kubernetes.api.model.<group>[.<version>]}; upstream names them after their Go packages
 * ({@code io.k8s.api.core.v1.Pod}, {@code io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta}).
 */
final class ModelTypes {

    static final String FABRIC8 = "io.fabric8.kubernetes.api.model";
    static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    static final String CORE = "io.k8s.api.core.v1.";
    static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    static final String RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";
    static final String TIME = META + "Time";
    static final String MICRO_TIME = META + "MicroTime";
    private static final String APIEXTENSIONS = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.";
    private static final String APIREGISTRATION_GROUP = "apiregistration.k8s.io";
    private static final String APIREGISTRATION = "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.";
    /** The kube-aggregator's types, which fabric8 keeps in its core package beside core/v1's. */
    private static final Set<String> APIREGISTRATION_TYPES = Set.of("APIService", "APIServiceList",
            "APIServiceSpec", "APIServiceStatus", "APIServiceCondition", "ServiceReference");
    static final String JSON = APIEXTENSIONS + "JSON";

    /** Types of fabric8's core package that upstream keeps in apimachinery's meta/v1. */
    private static final Set<String> META_TYPES = Set.of("APIGroup", "APIGroupList", "APIResource",
            "APIResourceList", "APIVersions", "Condition", "CreateOptions", "DeleteOptions", "Duration",
            "FieldSelectorRequirement", "FieldsV1", "GetOptions", "GroupVersionForDiscovery", "LabelSelector",
            "LabelSelectorRequirement", "ListMeta", "ListOptions", "ManagedFieldsEntry", "MicroTime", "ObjectMeta",
            "OwnerReference", "PartialObjectMetadata", "PartialObjectMetadataList", "Patch", "PatchOptions",
            "Preconditions", "RootPaths", "ServerAddressByClientCIDR", "Status", "StatusCause", "StatusDetails",
            "Table", "TableColumnDefinition", "TableRow", "Time", "TypeMeta", "UpdateOptions", "WatchEvent");

    private ModelTypes() {
    }

    /** The fabric8 class of a kind served at group/version, if fabric8 has one. */
    static Optional<Class<?>> kindClass(String group, String version, String kind) {
        if (group.isEmpty() || group.equals(APIREGISTRATION_GROUP) && APIREGISTRATION_TYPES.contains(kind)) {
            return load(FABRIC8 + "." + kind);
        }
        String segment = groupPackage(group);
        Optional<Class<?>> versioned = load(FABRIC8 + "." + segment + "." + version + "." + kind);
        if (versioned.isPresent() || !version.equals("v1")) {
            return versioned;
        }
        // groups fabric8 has only one stable version of live in an unversioned package (apps, rbac, storage, ...)
        return load(FABRIC8 + "." + segment + "." + kind);
    }

    /** Upstream's definition name for a fabric8 model class. */
    static String definitionName(Class<?> type) {
        String simple = type.getSimpleName();
        String pkg = type.getPackageName();
        if (pkg.equals(FABRIC8)) {
            return switch (simple) {
                case "IntOrString" -> INT_OR_STRING;
                case "Quantity" -> QUANTITY;
                default -> (META_TYPES.contains(simple) ? META
                        : APIREGISTRATION_TYPES.contains(simple) ? APIREGISTRATION : CORE) + simple;
            };
        }
        if (pkg.equals(FABRIC8 + ".runtime")) {
            return "io.k8s.apimachinery.pkg.runtime." + simple;
        }
        if (!pkg.startsWith(FABRIC8 + ".")) {
            return pkg + "." + simple;
        }
        String[] parts = pkg.substring(FABRIC8.length() + 1).split("\\.");
        String group = parts[0];
        String version = parts.length > 1 && parts[1].matches("v\\d+.*") ? parts[1] : "v1";
        if (group.equals("apiextensions")) {
            return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions." + version + "." + simple;
        }
        if (group.equals("metrics")) {
            // metrics-server's types live in k8s.io/metrics, not k8s.io/api
            return "io.k8s.metrics.pkg.apis.metrics." + version + "." + simple;
        }
        return "io.k8s.api." + group + "." + version + "." + simple;
    }

    /** {@code rbac.authorization.k8s.io} lives in fabric8's {@code rbac} package, {@code apps} in {@code apps}. */
    private static String groupPackage(String group) {
        int dot = group.indexOf('.');
        return (dot < 0 ? group : group.substring(0, dot)).toLowerCase(Locale.ROOT);
    }

    private static Optional<Class<?>> load(String name) {
        try {
            return Optional.of(Class.forName(name, false, ModelTypes.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }
}

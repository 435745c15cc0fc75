package io.kube4j.api.validation;

import java.util.HashMap;
import java.util.Map;

/** The validator of each built-in kind; unknown kinds (custom resources) get the ObjectMeta rules only. */
public final class Validators {
    private Validators() {
    }

    private static final Validator GENERIC = KindValidator.metaOnly(null, NameFn.DNS_SUBDOMAIN, false);
    private static final Validator CUSTOM_NAMESPACED = KindValidator.metaOnly(true, NameFn.DNS_SUBDOMAIN, false);
    private static final Validator CUSTOM_CLUSTER = KindValidator.metaOnly(false, NameFn.DNS_SUBDOMAIN, false);
    private static final Map<String, Validator> BY_KIND = new HashMap<>();

    static {
        CoreValidators.register(BY_KIND);
        WorkloadValidators.register(BY_KIND);
        BatchValidators.register(BY_KIND);
        OtherValidators.register(BY_KIND);
        RbacValidators.register(BY_KIND);
        // after OtherValidators, whose ObjectMeta-only entries for these two kinds it replaces
        WebhookConfigurationValidators.register(BY_KIND);
        ApiServiceValidator.register(BY_KIND);
        FlowControlValidation.register(BY_KIND);
        AdmissionPolicyValidators.register(BY_KIND);
    }

    /** Whether the kind has rules beyond ObjectMeta (a built-in kind this package knows). */
    public static boolean isKnown(String group, String kind) {
        return BY_KIND.containsKey((group == null ? "" : group) + "/" + kind);
    }

    /** ObjectMeta rules of a custom resource of the given scope (the CRD's schema is checked elsewhere). */
    public static Validator forCustomResource(boolean namespaced) {
        return namespaced ? CUSTOM_NAMESPACED : CUSTOM_CLUSTER;
    }

    /** The validator of a kind; {@code group} is "" for core. Never null. */
    public static Validator forKind(String group, String kind) {
        return BY_KIND.getOrDefault((group == null ? "" : group) + "/" + kind, GENERIC);
    }
}

package io.kube4j.api.validation;

import java.util.HashMap;
import java.util.Map;

/** The validator of each built-in kind; unknown kinds (custom resources) get the ObjectMeta rules only. */
public final class Validators {
    private Validators() {
    }

    private static final Validator GENERIC = KindValidator.metaOnly(null, NameFn.DNS_SUBDOMAIN, false);
    private static final Map<String, Validator> BY_KIND = new HashMap<>();

    static {
        register("", "ConfigMap", KindValidator.metaOnly(true, NameFn.DNS_SUBDOMAIN, true));
    }

    private static void register(String group, String kind, Validator v) {
        BY_KIND.put(group + "/" + kind, v);
    }

    /** The validator of a kind; {@code group} is "" for core. Never null. */
    public static Validator forKind(String group, String kind) {
        return BY_KIND.getOrDefault((group == null ? "" : group) + "/" + kind, GENERIC);
    }
}

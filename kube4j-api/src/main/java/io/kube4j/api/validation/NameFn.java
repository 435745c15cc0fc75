package io.kube4j.api.validation;

import java.util.List;

/** How a kind's metadata.name (and generateName prefix) is checked, as upstream's {@code ValidateNameFunc}. */
@FunctionalInterface
interface NameFn {
    List<String> validate(String name, boolean prefix);

    NameFn DNS_SUBDOMAIN = (n, p) -> NameValidation.isDns1123Subdomain(p ? maskTrailingDash(n) : n);
    NameFn DNS_LABEL = (n, p) -> NameValidation.isDns1123Label(p ? maskTrailingDash(n) : n);
    NameFn DNS1035_LABEL = (n, p) -> NameValidation.isDns1035Label(p ? maskTrailingDash(n) : n);
    NameFn PATH_SEGMENT = (n, p) -> PathSegments.isValidPathSegmentName(n, p);

    /** A generateName may end in '-': the random suffix makes the final name valid. */
    static String maskTrailingDash(String name) {
        if (name.length() > 1 && name.endsWith("-")) {
            return name.substring(0, name.length() - 2) + "a";
        }
        return name;
    }
}

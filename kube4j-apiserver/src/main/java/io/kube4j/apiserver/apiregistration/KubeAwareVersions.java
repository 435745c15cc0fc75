package io.kube4j.apiserver.apiregistration;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upstream's order of API versions of equal priority (apimachinery's CompareKubeAwareVersionStrings): GA before beta
 * before alpha, a higher major first, then a higher minor (v2 > v1 > v2beta1 > v1beta2 > v1beta1 > v1alpha1); a
 * version not shaped so comes after all that are, in alphabetical order.
 */
final class KubeAwareVersions {

    private static final Pattern KUBE_VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    /** Sorts the preferred version first. */
    static final Comparator<String> PREFERRED_FIRST = KubeAwareVersions::compare;

    private KubeAwareVersions() {
    }

    private static int compare(String a, String b) {
        Matcher ma = KUBE_VERSION.matcher(a);
        Matcher mb = KUBE_VERSION.matcher(b);
        boolean kubeA = ma.matches();
        boolean kubeB = mb.matches();
        if (!kubeA || !kubeB) {
            return kubeA ? -1 : kubeB ? 1 : a.compareTo(b);
        }
        int stage = Integer.compare(stage(mb.group(2)), stage(ma.group(2)));
        if (stage != 0) {
            return stage;
        }
        int major = new BigInteger(mb.group(1)).compareTo(new BigInteger(ma.group(1)));
        if (major != 0 || ma.group(3) == null) {
            return major;
        }
        return new BigInteger(mb.group(3)).compareTo(new BigInteger(ma.group(3)));
    }

    /** GA 2, beta 1, alpha 0. */
    private static int stage(String qualifier) {
        return qualifier == null ? 2 : qualifier.equals("beta") ? 1 : 0;
    }
}

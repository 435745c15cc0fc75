package io.kube4j.apiserver.endpoints;

import io.kube4j.api.status.StatusException;

import java.util.List;
import java.util.Locale;

/** Content negotiation: which body formats are read, and whether the client asked for a Table. */
public final class MediaTypes {

    public static final String JSON = "application/json";
    public static final String YAML = "application/yaml";
    public static final String JSON_PATCH = "application/json-patch+json";
    public static final String MERGE_PATCH = "application/merge-patch+json";
    public static final String STRATEGIC_PATCH = "application/strategic-merge-patch+json";
    public static final String APPLY_PATCH = "application/apply-patch+yaml";
    public static final List<String> BODY_TYPES = List.of(JSON, YAML, "application/vnd.kubernetes.protobuf");
    /** The non-apply patch types. */
    public static final List<String> PATCH_TYPES = List.of(JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH);

    private MediaTypes() {
    }

    /** The media type of a Content-Type header without parameters, lower case; JSON if absent. */
    public static String bodyType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return JSON;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** Whether the Accept header asks for a meta.k8s.io Table before anything else it accepts. */
    public static boolean wantsTable(String accept) {
        if (accept == null) {
            return false;
        }
        for (String part : accept.split(",")) {
            String p = part.replace(" ", "").toLowerCase(Locale.ROOT);
            if (p.contains("as=table") && p.contains("g=meta.k8s.io") && p.startsWith("application/json")) {
                return true;
            }
            if (p.startsWith("application/json") && !p.contains("as=")) {
                return false;
            }
        }
        return false;
    }

    /** Fails with 406 when the client accepts nothing kube4j can send. */
    public static void checkAcceptable(String accept) {
        if (accept == null || accept.isBlank()) {
            return;
        }
        String a = accept.toLowerCase(Locale.ROOT);
        if (a.contains("json") || a.contains("*/*") || a.contains("application/*") || a.contains("yaml")
                || a.contains("protobuf")) {
            return;
        }
        throw StatusException.notAcceptable(List.of(JSON, YAML));
    }

    /** Which aggregated discovery version the Accept header asks for (v2, v2beta1), or null for legacy. */
    public static String aggregatedDiscovery(String accept) {
        if (accept == null) {
            return null;
        }
        for (String part : accept.split(",")) {
            String p = part.replace(" ", "");
            if (p.contains("g=apidiscovery.k8s.io") && p.contains("as=APIGroupDiscoveryList")) {
                if (p.contains("v=v2beta1")) {
                    return "v2beta1";
                }
                if (p.contains("v=v2")) {
                    return "v2";
                }
            } else if (p.startsWith("application/json") || p.startsWith("*/*")) {
                return null;
            }
        }
        return null;
    }
}

package io.kube4j.apiserver.endpoints;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.AcceptClause;

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
    public static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
    public static final List<String> BODY_TYPES = List.of(JSON, YAML, PROTOBUF);
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

    /**
     * Whether the Accept header prefers a meta.k8s.io Table: its clauses are tried best first ({@link AcceptClause}:
     * by weight, then specificity, then order, a weight of 0 accepting nothing), and the first that JSON answers
     * decides - a Table one (application/json;as=Table;g=meta.k8s.io) yes, a plain one (application/json,
     * application/*, *{@code /}*) no. Clauses asking for another conversion ({@code as=PartialObjectMetadata}) or
     * another format are passed over.
     */
    public static boolean wantsTable(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        for (AcceptClause clause : AcceptClause.parse(accept)) {
            if (!clause.matches(JSON)) {
                continue;
            }
            String as = clause.parameter("as");
            if (as == null) {
                return false;
            }
            if (as.equalsIgnoreCase("Table") && "meta.k8s.io".equalsIgnoreCase(clause.parameter("g"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the Accept header prefers YAML: its clauses best first, as {@link #wantsTable}, the first one kube4j
     * serves decides, as upstream tries its serializers (JSON, YAML, protobuf, in that order, so that a range such
     * as application/* or *{@code /}* is answered with JSON). YAML is chosen only by name; a clause asking for a
     * conversion is passed over unless it is JSON's Table, which is JSON. Protobuf is answered with JSON.
     */
    public static boolean wantsYaml(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        for (AcceptClause clause : AcceptClause.parse(accept)) {
            boolean yaml = clause.specificity() == 2 && clause.matches(YAML);
            if (clause.parameter("as") != null) {
                if (!yaml && clause.matches(JSON) && "Table".equalsIgnoreCase(clause.parameter("as"))
                        && "meta.k8s.io".equalsIgnoreCase(clause.parameter("g"))) {
                    return false;
                }
                continue;
            }
            if (yaml) {
                return true;
            }
            if (clause.matches(JSON) || clause.matches(PROTOBUF)) {
                return false;
            }
        }
        return false;
    }

    /**
     * Fails with 406 when the client accepts nothing kube4j can send: no clause of weight above 0 that names JSON
     * (or a range covering it) or YAML ({@link #wantsYaml}). Clauses naming protobuf pass too, answered with JSON,
     * which every client that names it also decodes (client-go reads the response's Content-Type).
     */
    public static void checkAcceptable(String accept) {
        if (accept == null || accept.isBlank()) {
            return;
        }
        for (AcceptClause clause : AcceptClause.parse(accept)) {
            if (clause.matches(JSON) || clause.subtype().contains("json") || clause.subtype().contains("yaml")
                    || clause.subtype().contains("protobuf")) {
                return;
            }
        }
        throw StatusException.notAcceptable(List.of(JSON, YAML));
    }

    /**
     * Which aggregated discovery version the Accept header prefers (v2, v2beta1), or null for legacy discovery: its
     * clauses best first, as {@link #wantsTable}; the first JSON one decides (an apidiscovery.k8s.io
     * APIGroupDiscoveryList of a version served, or plain JSON for legacy).
     */
    public static String aggregatedDiscovery(String accept) {
        if (accept == null || accept.isBlank()) {
            return null;
        }
        for (AcceptClause clause : AcceptClause.parse(accept)) {
            if (!clause.matches(JSON)) {
                continue;
            }
            String as = clause.parameter("as");
            if (as == null) {
                return null;
            }
            String version = clause.parameter("v");
            if ("APIGroupDiscoveryList".equals(as) && "apidiscovery.k8s.io".equals(clause.parameter("g"))
                    && ("v2".equals(version) || "v2beta1".equals(version))) {
                return version;
            }
        }
        return null;
    }
}

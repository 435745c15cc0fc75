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
     * The formats upstream's codecs answer in, in the order its negotiation tries them against each Accept clause:
     * what a discovery document that cannot be answered as asked names as acceptable.
     */
    public static final List<String> SERIALIZERS = List.of(JSON, YAML, PROTOBUF);

    /**
     * What an Accept header negotiated: the serializer ({@link #JSON}, {@link #YAML}, or {@link #PROTOBUF}, which kube4j
     * answers with JSON) and the conversion its clause asked for, null for the object as it is.
     */
    public record Negotiated(String format, Conversion conversion) {
    }

    /** A clause's conversion parameters ({@code as}, {@code g}, {@code v}), each "" when not given. */
    public record Conversion(String kind, String group, String version) {

        /** A meta.k8s.io Table in a version upstream converts to (v1, v1beta1). */
        public boolean isTable() {
            return kind.equals("Table") && isMeta();
        }

        /** A meta.k8s.io PartialObjectMetadata (v1, v1beta1): what a get or a watch of metadata only asks for. */
        public boolean isPartialObjectMetadata() {
            return kind.equals("PartialObjectMetadata") && isMeta();
        }

        /** A meta.k8s.io PartialObjectMetadataList (v1, v1beta1): what a list of metadata only asks for. */
        public boolean isPartialObjectMetadataList() {
            return kind.equals("PartialObjectMetadataList") && isMeta();
        }

        /** The answer's apiVersion: {@code meta.k8s.io/v1} or {@code meta.k8s.io/v1beta1}. */
        public String apiVersion() {
            return group + "/" + version;
        }

        /** The group-versions upstream's transformations convert to (metav1 and metav1beta1). */
        private boolean isMeta() {
            return group.equals("meta.k8s.io") && (version.equals("v1") || version.equals("v1beta1"));
        }

        /** Aggregated discovery (apidiscovery.k8s.io APIGroupDiscoveryList) in a version served: v2, v2beta1. */
        boolean isAggregatedDiscovery() {
            return kind.equals("APIGroupDiscoveryList") && group.equals("apidiscovery.k8s.io")
                    && (version.equals("v2") || version.equals("v2beta1"));
        }
    }

    /** Which conversions an endpoint serves in which format: upstream's EndpointRestrictions.AllowsMediaTypeTransform. */
    private interface Restrictions {
        boolean allows(String format, Conversion conversion);
    }

    /**
     * Resource endpoints (upstream's RequestScope.AllowsMediaTypeTransform): Tables in JSON or YAML, and
     * PartialObjectMetadata(List) in any format - whether the answer is a list is not known here, so a list asked
     * for as PartialObjectMetadata is refused later, as upstream's transformation refuses it (406).
     */
    private static final Restrictions RESOURCES = (format, c) -> c.isTable() && !format.equals(PROTOBUF)
            || c.isPartialObjectMetadata() || c.isPartialObjectMetadataList();
    /** Legacy discovery documents (upstream's DefaultEndpointRestrictions): no conversion at all. */
    private static final Restrictions NO_CONVERSION = (format, c) -> false;
    /** /api and /apis before the legacy handler (upstream's DiscoveryEndpointRestrictions): aggregated discovery. */
    private static final Restrictions AGGREGATED_DISCOVERY = (format, c) -> c.isAggregatedDiscovery();

    /**
     * Upstream's NegotiateMediaTypeOptions: the clauses best first ({@link AcceptClause}: by weight, then specificity,
     * then order; a weight of 0 accepts nothing), each tried against JSON, YAML and protobuf in turn - so a range such as
     * application/* or *{@code /}* is answered with JSON and YAML is chosen only by name - and the first pair the
     * endpoint allows wins: a clause asking for a conversion only where the endpoint serves it in that format, one
     * asking for a stream ({@code stream=watch}) only of a format that has one (not YAML). Null when no pair is
     * acceptable; no header is JSON as it is.
     */
    private static Negotiated negotiate(String accept, Restrictions restrictions) {
        if (accept == null || accept.isBlank()) {
            return new Negotiated(JSON, null);
        }
        for (AcceptClause clause : AcceptClause.parse(accept)) {
            String kind = clause.parameter("as");
            String group = clause.parameter("g");
            String version = clause.parameter("v");
            Conversion conversion = kind == null && group == null && version == null ? null
                    : new Conversion(kind == null ? "" : kind, group == null ? "" : group,
                    version == null ? "" : version);
            String stream = clause.parameter("stream");
            for (String format : SERIALIZERS) {
                if (!clause.matches(format)
                        || stream != null && !stream.isEmpty() && (format.equals(YAML) || !stream.equals("watch"))) {
                    continue;
                }
                if (conversion == null || restrictions.allows(format, conversion)) {
                    return new Negotiated(format, conversion);
                }
            }
        }
        return null;
    }

    /**
     * Whether a resource request's Accept header negotiates a meta.k8s.io Table ({@link #negotiate}): in JSON
     * (application/json;as=Table;g=meta.k8s.io;v=v1) or YAML.
     */
    public static boolean wantsTable(String accept) {
        Conversion conversion = resourceConversion(accept);
        return conversion != null && conversion.isTable();
    }

    /**
     * The conversion a resource request's Accept header negotiates ({@link #negotiate} with upstream's RequestScope
     * restrictions): a Table, a PartialObjectMetadata or a PartialObjectMetadataList, or null for the object as it is
     * (also when nothing is acceptable: {@link #checkResourceAcceptable} refuses that).
     */
    public static Conversion resourceConversion(String accept) {
        Negotiated negotiated = negotiate(accept, RESOURCES);
        return negotiated == null ? null : negotiated.conversion();
    }

    /**
     * Fails with 406, as upstream's negotiation, when no clause of a resource request's Accept header is one the
     * endpoint serves: none names a format served (or a range), or each asks for a conversion not served (a kind
     * other than Table and PartialObjectMetadata(List), a group other than meta.k8s.io, a version other than v1 and
     * v1beta1, a Table in protobuf). {@code converts} false is an endpoint whose answer is no object (pods/log):
     * it serves no conversion at all.
     */
    public static void checkResourceAcceptable(String accept, boolean converts) {
        if (negotiate(accept, converts ? RESOURCES : NO_CONVERSION) == null) {
            throw StatusException.notAcceptable(SERIALIZERS);
        }
    }

    /**
     * Whether a resource request's Accept header negotiates YAML ({@link #negotiate}): a YAML clause comes before any
     * JSON, range or protobuf one (protobuf is answered with JSON); with a Table clause at equal weight after it, the
     * answer is the object in YAML, as upstream's, and {@code application/yaml;as=Table;g=meta.k8s.io;v=v1} is a
     * Table in YAML.
     */
    public static boolean wantsYaml(String accept) {
        Negotiated negotiated = negotiate(accept, RESOURCES);
        return negotiated != null && negotiated.format().equals(YAML);
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
     * Whether an Accept header sent to /api or /apis asks for aggregated discovery, as upstream's wrapper decides it
     * (its DiscoveryEndpointRestrictions: an apidiscovery.k8s.io APIGroupDiscoveryList of a version served, in any
     * format): the negotiated format and version, or null for the legacy document.
     */
    public static Negotiated aggregatedDiscovery(String accept) {
        Negotiated negotiated = negotiate(accept, AGGREGATED_DISCOVERY);
        return negotiated == null || negotiated.conversion() == null ? null : negotiated;
    }

    /**
     * The format of a legacy discovery document (/api, /apis, /api/v1, /apis/GROUP, /apis/GROUP/VERSION), negotiated
     * as upstream's discovery handlers do through its codecs with no conversion allowed; null when nothing is
     * acceptable (upstream: 406).
     */
    public static Negotiated discoveryDocument(String accept) {
        return negotiate(accept, NO_CONVERSION);
    }

    /**
     * Whether an Accept header reaches a route that produces only JSON (/version): upstream's go-restful router serves
     * it when a clause names application/json or *{@code /}* - not a range such as application/* - and answers 406
     * otherwise.
     */
    public static boolean acceptsJsonByName(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (AcceptClause clause : AcceptClause.parse(accept)) {
            if (clause.specificity() == 0 || clause.specificity() == 2 && clause.matches(JSON)) {
                return true;
            }
        }
        return false;
    }
}

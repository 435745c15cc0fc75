package io.kube4j.api.validation;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * apiregistration.k8s.io/v1 APIService, as upstream's kube-aggregator {@code apis/apiregistration/validation}: the
 * name is {@code <version>.<group>} (the core group's is {@code v1.}, which is no DNS name: only a path segment), the
 * group a DNS subdomain, the version a DNS-1035 label, the priorities in range, and a local APIService (no
 * {@code spec.service}) carries no TLS settings. A status write checks only the condition statuses.
 */
final class ApiServiceValidator extends KindValidator {

    static final String KIND = "apiregistration.k8s.io/APIService";
    private static final List<String> CONDITION_STATUSES = List.of("True", "False", "Unknown");

    private ApiServiceValidator() {
        super(false, NameFn.PATH_SEGMENT);
    }

    static void register(Map<String, Validator> into) {
        into.put(KIND, new ApiServiceValidator());
    }

    @Override
    void validate(ObjectNode apiService, List<FieldError> errs) {
        ObjectNode spec = Json.obj(apiService, "spec");
        String group = Json.strOr(spec, "group", "");
        String version = Json.strOr(spec, "version", "");
        name(apiService, version + "." + group, errs);
        // the empty group is the legacy core API, served at v1 only
        if (group.isEmpty() && !version.equals("v1")) {
            errs.add(FieldError.required("spec.group", "only v1 may have an empty group and it better be legacy kube"));
        }
        if (!group.isEmpty()) {
            Checks.dns1123Subdomain(group, "spec.group", errs);
        }
        for (String m : NameValidation.isDns1035Label(version)) {
            errs.add(FieldError.invalid("spec.version", version, m));
        }
        long groupPriority = number(spec, "groupPriorityMinimum");
        if (groupPriority <= 0 || groupPriority > 20000) {
            errs.add(FieldError.invalid("spec.groupPriorityMinimum", groupPriority,
                    "must be positive and less than 20000"));
        }
        long versionPriority = number(spec, "versionPriority");
        if (versionPriority <= 0 || versionPriority > 1000) {
            errs.add(FieldError.invalid("spec.versionPriority", versionPriority,
                    "must be positive and less than 1000"));
        }
        int caBundleBytes = caBundleBytes(spec, errs);
        boolean insecure = Boolean.TRUE.equals(Json.bool(spec, "insecureSkipTLSVerify"));
        JsonNode service = Json.node(spec, "service");
        if (service == null || !service.isObject()) {
            // a local APIService is served by this server: there is no TLS connection to configure
            if (caBundleBytes > 0) {
                errs.add(FieldError.invalid("spec.caBundle", caBundleBytes + " bytes",
                        "local APIServices may not have a caBundle"));
            }
            if (insecure) {
                errs.add(FieldError.invalid("spec.insecureSkipTLSVerify", true,
                        "local APIServices may not have insecureSkipTLSVerify"));
            }
            return;
        }
        if (Json.strOr(service, "namespace", "").isEmpty()) {
            errs.add(FieldError.required("spec.service.namespace", ""));
        }
        if (Json.strOr(service, "name", "").isEmpty()) {
            errs.add(FieldError.required("spec.service.name", ""));
        }
        long port = number(service, "port");
        List<String> portErrors = NameValidation.isValidPortNum(port);
        if (!portErrors.isEmpty()) {
            errs.add(FieldError.invalid("spec.service.port", port, "port is not valid: "
                    + String.join(", ", portErrors)));
        }
        if (insecure && caBundleBytes > 0) {
            errs.add(FieldError.invalid("spec.insecureSkipTLSVerify", true, "may not be true if caBundle is present"));
        }
    }

    @Override
    void validateStatusForUpdate(ObjectNode apiService, ObjectNode old, List<FieldError> errs) {
        List<ObjectNode> conditions = Json.objs(Json.obj(apiService, "status"), "conditions");
        for (int i = 0; i < conditions.size(); i++) {
            String status = Json.strOr(conditions.get(i), "status", "");
            if (!CONDITION_STATUSES.contains(status)) {
                errs.add(FieldError.notSupported("status.conditions[" + i + "].status", status, CONDITION_STATUSES));
            }
        }
    }

    /**
     * Upstream's name rule: a path segment (checked with ObjectMeta) that must equal {@code version.group}; the
     * second check only once the first passed, as upstream's name function returns the first failures alone.
     */
    private static void name(ObjectNode apiService, String required, List<FieldError> errs) {
        String name = Json.strOr(Json.obj(apiService, "metadata"), "name", "");
        if (!name.isEmpty() && PathSegments.isValidPathSegmentName(name, false).isEmpty() && !name.equals(required)) {
            errs.add(FieldError.invalid("metadata.name", name,
                    "must be `spec.version+\".\"+spec.group`: " + GoFormat.quote(required)));
        }
    }

    /** An int32 field as Go reads it: absent is 0. */
    private static long number(JsonNode parent, String field) {
        Long value = Json.lng(parent, field);
        return value == null ? 0 : value;
    }

    /** The decoded length of spec.caBundle ([]byte, base64 in JSON); 0 when absent. */
    private static int caBundleBytes(ObjectNode spec, List<FieldError> errs) {
        String caBundle = Json.str(spec, "caBundle");
        if (caBundle == null || caBundle.isEmpty()) {
            return 0;
        }
        try {
            return Base64.getDecoder().decode(caBundle.trim()).length;
        } catch (IllegalArgumentException e) {
            errs.add(FieldError.invalid("spec.caBundle", FieldError.OMIT, "must be base64-encoded PEM certificates"));
            return 0;
        }
    }
}

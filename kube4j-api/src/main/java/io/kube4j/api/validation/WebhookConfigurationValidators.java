package io.kube4j.api.validation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * admissionregistration.k8s.io/v1 Validating- and MutatingWebhookConfiguration, as upstream's
 * {@code pkg/apis/admissionregistration/validation} checks them for the v1 API (unique webhook names, sideEffects
 * required and None/NoneOnDryRun, admissionReviewVersions required, matchConditions as a policy's). One kube4j
 * limit is refused here rather than silently ignored: the API server speaks only admission.k8s.io/v1
 * AdmissionReviews.
 */
final class WebhookConfigurationValidators {
    private WebhookConfigurationValidators() {
    }

    static final String GROUP = "admissionregistration.k8s.io";
    private static final List<String> OPERATIONS = List.of("*", "CONNECT", "CREATE", "DELETE", "UPDATE");
    private static final List<String> SCOPES = List.of("*", "Cluster", "Namespaced");
    private static final List<String> FAILURE_POLICIES = List.of("Fail", "Ignore");
    private static final List<String> MATCH_POLICIES = List.of("Equivalent", "Exact");
    private static final List<String> REINVOCATION_POLICIES = List.of("IfNeeded", "Never");
    private static final List<String> SIDE_EFFECTS = List.of("None", "NoneOnDryRun", "Some", "Unknown");
    private static final List<String> NO_SIDE_EFFECTS = List.of("None", "NoneOnDryRun");
    /** The AdmissionReview versions kube4j sends (upstream also speaks v1beta1). */
    private static final List<String> REVIEW_VERSIONS = List.of("v1");
    private static final String URL_FORM = "; desired format: https://host[/path]";

    static void register(Map<String, Validator> into) {
        into.put(GROUP + "/ValidatingWebhookConfiguration", new Configuration(false));
        into.put(GROUP + "/MutatingWebhookConfiguration", new Configuration(true));
    }

    private static final class Configuration extends KindValidator {
        private final boolean mutating;

        Configuration(boolean mutating) {
            super(false, NameFn.DNS_SUBDOMAIN);
            this.mutating = mutating;
        }

        @Override
        void validate(ObjectNode obj, List<FieldError> errs) {
            webhooks(obj, true, true, errs);
        }

        /**
         * Upstream relaxes two v1 rules on update only for objects that already broke them (stored through
         * v1beta1): duplicate names, and sideEffects other than None/NoneOnDryRun.
         */
        @Override
        void validateForUpdate(ObjectNode obj, ObjectNode old, List<FieldError> errs) {
            webhooks(obj, uniqueNames(old), noSideEffects(old), errs);
        }

        private void webhooks(ObjectNode obj, boolean requireUniqueNames, boolean requireNoSideEffects,
                              List<FieldError> errs) {
            List<JsonNode> hooks = Json.arr(obj, "webhooks");
            Set<String> names = new HashSet<>();
            for (int i = 0; i < hooks.size(); i++) {
                String path = Paths.index("webhooks", i);
                if (!(hooks.get(i) instanceof ObjectNode hook)) {
                    errs.add(FieldError.invalid(path, hooks.get(i), "must be an object"));
                    continue;
                }
                String name = Json.strOr(hook, "name", "");
                fullyQualifiedName(name, Paths.child(path, "name"), errs);
                if (requireUniqueNames && !name.isEmpty() && !names.add(name)) {
                    errs.add(FieldError.duplicate(Paths.child(path, "name"), name));
                }
                webhook(hook, path, requireNoSideEffects, errs);
            }
        }

        private void webhook(ObjectNode hook, String path, boolean requireNoSideEffects, List<FieldError> errs) {
            List<JsonNode> rules = Json.arr(hook, "rules");
            for (int i = 0; i < rules.size(); i++) {
                rule(rules.get(i), Paths.index(Paths.child(path, "rules"), i), errs);
            }
            Checks.optionalOneOf(Json.str(hook, "failurePolicy"), FAILURE_POLICIES,
                    Paths.child(path, "failurePolicy"), errs);
            Checks.optionalOneOf(Json.str(hook, "matchPolicy"), MATCH_POLICIES, Paths.child(path, "matchPolicy"),
                    errs);
            if (mutating) {
                Checks.optionalOneOf(Json.str(hook, "reinvocationPolicy"), REINVOCATION_POLICIES,
                        Paths.child(path, "reinvocationPolicy"), errs);
            }
            String sideEffects = Json.str(hook, "sideEffects");
            String sideEffectsPath = Paths.child(path, "sideEffects");
            if (sideEffects == null) {
                errs.add(FieldError.required(sideEffectsPath, "must specify one of None, NoneOnDryRun"));
            } else if (!SIDE_EFFECTS.contains(sideEffects)) {
                errs.add(FieldError.notSupported(sideEffectsPath, sideEffects, SIDE_EFFECTS));
            } else if (requireNoSideEffects && !NO_SIDE_EFFECTS.contains(sideEffects)) {
                errs.add(FieldError.notSupported(sideEffectsPath, sideEffects, NO_SIDE_EFFECTS));
            }
            Long timeout = Json.lng(hook, "timeoutSeconds");
            if (timeout != null && (timeout < 1 || timeout > 30)) {
                errs.add(FieldError.invalid(Paths.child(path, "timeoutSeconds"), timeout,
                        "the timeout value must be between 1 and 30 seconds"));
            }
            reviewVersions(hook, Paths.child(path, "admissionReviewVersions"), errs);
            LabelSelectors.validate(Json.obj(hook, "namespaceSelector"), Paths.child(path, "namespaceSelector"), errs);
            LabelSelectors.validate(Json.obj(hook, "objectSelector"), Paths.child(path, "objectSelector"), errs);
            clientConfig(Json.obj(hook, "clientConfig"), Paths.child(path, "clientConfig"), errs);
            AdmissionPolicyValidators.matchConditions(hook, Paths.child(path, "matchConditions"), errs);
        }
    }

    private static boolean uniqueNames(ObjectNode old) {
        Set<String> names = new HashSet<>();
        for (JsonNode hook : Json.arr(old, "webhooks")) {
            if (!names.add(Json.strOr(hook, "name", ""))) {
                return false;
            }
        }
        return true;
    }

    private static boolean noSideEffects(ObjectNode old) {
        for (JsonNode hook : Json.arr(old, "webhooks")) {
            if (!NO_SIDE_EFFECTS.contains(Json.strOr(hook, "sideEffects", "None"))) {
                return false;
            }
        }
        return true;
    }

    /** Upstream's IsFullyQualifiedName: a DNS subdomain of at least three segments. */
    private static void fullyQualifiedName(String name, String path, List<FieldError> errs) {
        if (name.isEmpty()) {
            errs.add(FieldError.required(path, ""));
            return;
        }
        List<String> problems = NameValidation.isDns1123Subdomain(name);
        if (!problems.isEmpty()) {
            errs.add(FieldError.invalid(path, name, String.join(",", problems)));
        } else if (name.split("\\.", -1).length < 3) {
            errs.add(FieldError.invalid(path, name, "should be a domain with at least three segments separated by dots"));
        }
    }

    static void rule(JsonNode rule, String path, List<FieldError> errs) {
        List<String> operations = Json.strs(rule, "operations");
        String opsPath = Paths.child(path, "operations");
        if (operations.isEmpty()) {
            errs.add(FieldError.required(opsPath, ""));
        }
        if (operations.size() > 1 && operations.contains("*")) {
            errs.add(FieldError.invalid(opsPath, operations, "if '*' is present, must not specify other operations"));
        }
        for (int i = 0; i < operations.size(); i++) {
            if (!OPERATIONS.contains(operations.get(i))) {
                errs.add(FieldError.notSupported(Paths.index(opsPath, i), operations.get(i), OPERATIONS));
            }
        }
        List<String> groups = Json.strs(rule, "apiGroups");
        if (groups.isEmpty()) {
            errs.add(FieldError.required(Paths.child(path, "apiGroups"), ""));
        }
        if (groups.size() > 1 && groups.contains("*")) {
            errs.add(FieldError.invalid(Paths.child(path, "apiGroups"), groups,
                    "if '*' is present, must not specify other API groups"));
        }
        List<String> versions = Json.strs(rule, "apiVersions");
        String versionsPath = Paths.child(path, "apiVersions");
        if (versions.isEmpty()) {
            errs.add(FieldError.required(versionsPath, ""));
        }
        if (versions.size() > 1 && versions.contains("*")) {
            errs.add(FieldError.invalid(versionsPath, versions, "if '*' is present, must not specify other API versions"));
        }
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).isEmpty()) {
                errs.add(FieldError.required(Paths.index(versionsPath, i), ""));
            }
        }
        resources(Json.strs(rule, "resources"), Paths.child(path, "resources"), errs);
        Checks.optionalOneOf(Json.str(rule, "scope"), SCOPES, Paths.child(path, "scope"), errs);
    }

    /** Upstream's validateResources: wildcards may not overlap what they already cover. */
    private static void resources(List<String> resources, String path, List<FieldError> errs) {
        if (resources.isEmpty()) {
            errs.add(FieldError.required(path, ""));
        }
        Set<String> withWildcardSub = new HashSet<>();
        Set<String> subWithWildcardResource = new HashSet<>();
        boolean doubleWildcard = false;
        boolean singleWildcard = false;
        boolean withoutSubresource = false;
        for (int i = 0; i < resources.size(); i++) {
            String entry = resources.get(i);
            if (entry.isEmpty()) {
                errs.add(FieldError.required(Paths.index(path, i), ""));
                continue;
            }
            doubleWildcard |= entry.equals("*/*");
            singleWildcard |= entry.equals("*");
            int slash = entry.indexOf('/');
            if (slash < 0) {
                withoutSubresource = !entry.equals("*");
                continue;
            }
            String resource = entry.substring(0, slash);
            String sub = entry.substring(slash + 1);
            if (withWildcardSub.contains(resource)) {
                errs.add(FieldError.invalid(Paths.index(path, i), entry,
                        "if '" + resource + "/*' is present, must not specify " + entry));
            }
            if (subWithWildcardResource.contains(sub)) {
                errs.add(FieldError.invalid(Paths.index(path, i), entry,
                        "if '*/" + sub + "' is present, must not specify " + entry));
            }
            if (sub.equals("*")) {
                withWildcardSub.add(resource);
            }
            if (resource.equals("*")) {
                subWithWildcardResource.add(sub);
            }
        }
        if (resources.size() > 1 && doubleWildcard) {
            errs.add(FieldError.invalid(path, resources, "if '*/*' is present, must not specify other resources"));
        }
        if (singleWildcard && withoutSubresource) {
            errs.add(FieldError.invalid(path, resources,
                    "if '*' is present, must not specify other resources without subresources"));
        }
    }

    private static void reviewVersions(ObjectNode hook, String path, List<FieldError> errs) {
        List<String> versions = Json.strs(hook, "admissionReviewVersions");
        if (versions.isEmpty()) {
            errs.add(FieldError.required(path, "must specify one of " + String.join(", ", REVIEW_VERSIONS)));
            return;
        }
        Set<String> seen = new HashSet<>();
        boolean supported = false;
        for (int i = 0; i < versions.size(); i++) {
            String version = versions.get(i);
            if (!seen.add(version)) {
                errs.add(FieldError.duplicate(Paths.index(path, i), version));
            }
            for (String problem : NameValidation.isDns1035Label(version)) {
                errs.add(FieldError.invalid(Paths.index(path, i), version, problem));
            }
            supported |= REVIEW_VERSIONS.contains(version);
        }
        if (!supported) {
            errs.add(FieldError.invalid(path, versions,
                    "must include at least one of " + String.join(", ", REVIEW_VERSIONS)));
        }
    }

    private static void clientConfig(ObjectNode config, String path, List<FieldError> errs) {
        String url = Json.str(config, "url");
        ObjectNode service = Json.obj(config, "service");
        if ((url == null) == (service == null)) {
            errs.add(FieldError.required(path, "exactly one of url or service is required"));
        } else if (url != null) {
            url(url, Paths.child(path, "url"), errs);
        } else {
            service(service, Paths.child(path, "service"), errs);
        }
        String caBundle = Json.str(config, "caBundle");
        if (caBundle != null) {
            try {
                Base64.getDecoder().decode(caBundle.trim());
            } catch (IllegalArgumentException e) {
                errs.add(FieldError.invalid(Paths.child(path, "caBundle"), FieldError.OMIT,
                        "must be base64-encoded PEM certificates"));
            }
        }
    }

    /** Upstream's ValidateWebhookURL with forceHttps. */
    private static void url(String url, String path, List<FieldError> errs) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            errs.add(FieldError.required(path, "url must be a valid URL: " + e.getMessage() + URL_FORM));
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.equals("https")) {
            errs.add(FieldError.invalid(path, scheme, "'https' is the only allowed URL scheme" + URL_FORM));
        }
        String host = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        if (uri.getRawUserInfo() != null) {
            host = host.substring(host.indexOf('@') + 1);
            errs.add(FieldError.invalid(path, uri.getRawUserInfo(), "user information is not permitted in the URL"));
        }
        if (host.isEmpty()) {
            errs.add(FieldError.invalid(path, host, "host must be specified" + URL_FORM));
        }
        if (uri.getRawFragment() != null && !uri.getRawFragment().isEmpty()) {
            errs.add(FieldError.invalid(path, uri.getRawFragment(), "fragments are not permitted in the URL"));
        }
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            errs.add(FieldError.invalid(path, uri.getRawQuery(), "query parameters are not permitted in the URL"));
        }
    }

    /** Upstream's ValidateWebhookService: name, namespace, a valid port and a path of DNS-subdomain segments. */
    private static void service(ObjectNode service, String path, List<FieldError> errs) {
        if (Json.strOr(service, "name", "").isEmpty()) {
            errs.add(FieldError.required(Paths.child(path, "name"), "service name is required"));
        }
        if (Json.strOr(service, "namespace", "").isEmpty()) {
            errs.add(FieldError.required(Paths.child(path, "namespace"), "service namespace is required"));
        }
        JsonNode port = Json.node(service, "port");
        if (port != null) {
            long value = port.isIntegralNumber() ? port.asLong() : -1;
            List<String> problems = NameValidation.isValidPortNum(value);
            if (!problems.isEmpty()) {
                errs.add(FieldError.invalid(Paths.child(path, "port"), port.isIntegralNumber() ? value : port,
                        "port is not valid: " + String.join(", ", problems)));
            }
        }
        String urlPath = Json.str(service, "path");
        if (urlPath == null || urlPath.isEmpty() || urlPath.equals("/")) {
            return;
        }
        String pathField = Paths.child(path, "path");
        if (urlPath.equals("//")) {
            errs.add(FieldError.invalid(pathField, urlPath, "segment[0] may not be empty"));
            return;
        }
        if (!urlPath.startsWith("/")) {
            errs.add(FieldError.invalid(pathField, urlPath, "must start with a '/'"));
        }
        String steps = urlPath.substring(1);
        if (steps.endsWith("/")) {
            steps = steps.substring(0, steps.length() - 1);
        }
        String[] segments = steps.split("/", -1);
        List<FieldError> segmentErrors = new ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].isEmpty()) {
                segmentErrors.add(FieldError.invalid(pathField, urlPath, "segment[" + i + "] may not be empty"));
                continue;
            }
            for (String problem : NameValidation.isDns1123Subdomain(segments[i])) {
                segmentErrors.add(FieldError.invalid(pathField, urlPath, "segment[" + i + "]: " + problem));
            }
        }
        errs.addAll(segmentErrors);
    }
}

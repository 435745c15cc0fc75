package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PodSecurity: the namespace's {@code pod-security.kubernetes.io/enforce} label (privileged, baseline,
 * restricted; default privileged) rejects pods that break that Pod Security Standard; the {@code warn} label
 * only adds a warning. Pod updates that leave the spec unchanged are not re-checked, as upstream.
 */
public final class PodSecurityAdmission implements ValidatingAdmission {

    public static final String LABEL_PREFIX = "pod-security.kubernetes.io/";

    private final ObjectLookup lookup;

    public PodSecurityAdmission(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return "PodSecurity";
    }

    @Override
    public void validate(AdmissionRequest request) {
        // as upstream, the one subresource checked is ephemeralcontainers: a debugging container may not bring in
        // what the namespace's level forbids
        boolean pods = request.isCore("pods") || (request.group().isEmpty() && request.resource().equals("pods")
                && request.subresource().equals("ephemeralcontainers"));
        if (!pods || request.object() == null
                || (request.operation() != Operation.CREATE && request.operation() != Operation.UPDATE)) {
            return;
        }
        if (request.operation() == Operation.UPDATE && request.oldObject() != null
                && request.object().path("spec").equals(request.oldObject().path("spec"))) {
            return;
        }
        Map<String, String> labels = lookup.getCachedThenLive("namespaces", null, request.namespace())
                .map(ns -> Json.stringMap(Json.obj(ns, "metadata", "labels"))).orElse(Map.of());
        check(request, labels, "enforce", true);
        check(request, labels, "warn", false);
    }

    private static void check(AdmissionRequest request, Map<String, String> labels, String mode, boolean enforce) {
        String levelText = labels.get(LABEL_PREFIX + mode);
        if (levelText == null) {
            return;
        }
        PodSecurityChecks.Level level;
        try {
            level = PodSecurityChecks.Level.valueOf(levelText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            // upstream treats an invalid level as the most restrictive one
            level = PodSecurityChecks.Level.RESTRICTED;
        }
        List<String> violations = PodSecurityChecks.violations((ObjectNode) request.object(), level);
        if (violations.isEmpty()) {
            return;
        }
        String version = labels.getOrDefault(LABEL_PREFIX + mode + "-version", "latest");
        String policy = "PodSecurity \"" + level.name().toLowerCase(Locale.ROOT) + ":" + version + "\": "
                + String.join(", ", violations);
        if (enforce) {
            throw AdmissionErrors.forbidden(request, "violates " + policy);
        }
        request.warn("would violate " + policy);
    }
}

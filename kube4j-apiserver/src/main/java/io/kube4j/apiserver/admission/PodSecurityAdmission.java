package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PodSecurity: the namespace's {@code pod-security.kubernetes.io/enforce} label (privileged, baseline,
 * restricted; default privileged) rejects pods that break that Pod Security Standard; the {@code audit} label only
 * notes it in the request's audit event and the {@code warn} label only adds a warning. Pod updates that leave the
 * spec unchanged are not re-checked, as upstream. The audit annotations are upstream's:
 * {@code pod-security.kubernetes.io/enforce-policy} (the level and version enforced, {@code privileged:latest} where
 * every mode is privileged) and {@code pod-security.kubernetes.io/audit-violations}.
 */
public final class PodSecurityAdmission implements ValidatingAdmission {

    public static final String LABEL_PREFIX = "pod-security.kubernetes.io/";
    static final String ENFORCE_POLICY = LABEL_PREFIX + "enforce-policy";
    static final String AUDIT_VIOLATIONS = LABEL_PREFIX + "audit-violations";

    private final ObjectLookup lookup;

    public PodSecurityAdmission(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return "PodSecurity";
    }

    /** One mode's level and version ({@code restricted:latest}): what it checks and how it is named. */
    private record Policy(PodSecurityChecks.Level level, String version) {

        static Policy of(Map<String, String> labels, String mode) {
            String levelText = labels.get(LABEL_PREFIX + mode);
            if (levelText == null) {
                return new Policy(PodSecurityChecks.Level.PRIVILEGED, "latest");
            }
            PodSecurityChecks.Level level;
            try {
                level = PodSecurityChecks.Level.valueOf(levelText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                // upstream treats an invalid level as the most restrictive one
                level = PodSecurityChecks.Level.RESTRICTED;
            }
            return new Policy(level, labels.getOrDefault(LABEL_PREFIX + mode + "-version", "latest"));
        }

        boolean privileged() {
            return level == PodSecurityChecks.Level.PRIVILEGED;
        }

        /** {@code PodSecurity "restricted:latest": <violations>}, as upstream words its checks' result. */
        String violated(List<String> violations) {
            return "PodSecurity \"" + this + "\": " + String.join(", ", violations);
        }

        @Override
        public String toString() {
            return level.name().toLowerCase(Locale.ROOT) + ":" + version;
        }
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
        Map<String, String> labels = lookup.getCachedThenLive("namespaces", null, request.namespace())
                .map(ns -> Json.stringMap(Json.obj(ns, "metadata", "labels"))).orElse(Map.of());
        Policy enforce = Policy.of(labels, "enforce");
        Policy audit = Policy.of(labels, "audit");
        Policy warn = Policy.of(labels, "warn");
        if (enforce.privileged() && audit.privileged() && warn.privileged()) {
            // upstream's short cut, taken before it looks at the pod: nothing to check, the policy is still noted
            request.addAuditAnnotation(ENFORCE_POLICY, "privileged:latest");
            return;
        }
        if (request.operation() == Operation.UPDATE && request.oldObject() != null
                && request.object().path("spec").equals(request.oldObject().path("spec"))) {
            return;
        }
        ObjectNode pod = (ObjectNode) request.object();
        request.addAuditAnnotation(ENFORCE_POLICY, enforce.toString());
        List<String> enforced = PodSecurityChecks.violations(pod, enforce.level());
        List<String> audited = audit.level() == enforce.level() ? enforced
                : PodSecurityChecks.violations(pod, audit.level());
        if (!audited.isEmpty()) {
            // noted before a refusal, which the audit event then carries too
            request.addAuditAnnotation(AUDIT_VIOLATIONS, "would violate " + audit.violated(audited));
        }
        if (!enforced.isEmpty()) {
            throw AdmissionErrors.forbidden(request, "violates " + enforce.violated(enforced));
        }
        List<String> warned = PodSecurityChecks.violations(pod, warn.level());
        if (!warned.isEmpty()) {
            request.warn("would violate " + warn.violated(warned));
        }
    }
}

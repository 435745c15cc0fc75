package io.kube4j.api.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.kube4j.api.defaults.SystemPriorityClasses;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Validators of coordination, discovery, networking, policy, autoscaling, scheduling, storage and events kinds. */
final class OtherValidators {
    private OtherValidators() {
    }

    static void register(Map<String, Validator> into) {
        into.put("coordination.k8s.io/Lease", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode lease, List<FieldError> errs) {
                ObjectNode spec = Json.obj(lease, "spec");
                Long duration = Json.lng(spec, "leaseDurationSeconds");
                if (duration != null && duration <= 0) {
                    errs.add(FieldError.invalid("spec.leaseDurationSeconds", duration, "must be greater than 0"));
                }
                Checks.nonNegative(spec, "leaseTransitions", "spec.leaseTransitions", errs);
            }
        });
        into.put("discovery.k8s.io/EndpointSlice", new EndpointSliceValidator());
        into.put("networking.k8s.io/Ingress", new IngressValidator());
        into.put("networking.k8s.io/IngressClass", new KindValidator(false, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode ic, List<FieldError> errs) {
                // upstream's ValidateIngressClassSpec: at most 250 characters, and a domain-prefixed path
                String controller = Json.strOr(Json.obj(ic, "spec"), "controller", "");
                if (controller.length() > 250) {
                    errs.add(FieldError.tooLong("spec.controller", "", 250));
                }
                Checks.domainPrefixedPath(controller, "spec.controller", errs);
            }

            @Override
            void validateImmutable(ObjectNode ic, ObjectNode old, List<FieldError> errs) {
                Checks.immutable(Json.node(Json.obj(ic, "spec"), "controller"), Json.node(Json.obj(old, "spec"), "controller"),
                        "spec.controller", errs);
            }
        });
        into.put("networking.k8s.io/NetworkPolicy", new NetworkPolicyValidator());
        into.put("policy/PodDisruptionBudget", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode pdb, List<FieldError> errs) {
                ObjectNode spec = Json.obj(pdb, "spec");
                JsonNode min = Json.node(spec, "minAvailable");
                JsonNode max = Json.node(spec, "maxUnavailable");
                if (min != null && max != null) {
                    errs.add(FieldError.invalid("spec", new GoFormat.Raw(String.valueOf(spec)), "minAvailable and maxUnavailable cannot be both set"));
                }
                IntOrPercent.positive(min, "spec.minAvailable", errs);
                IntOrPercent.notMoreThan100Percent(min, "spec.minAvailable", errs);
                IntOrPercent.positive(max, "spec.maxUnavailable", errs);
                IntOrPercent.notMoreThan100Percent(max, "spec.maxUnavailable", errs);
                LabelSelectors.validate(Json.obj(spec, "selector"), "spec.selector", errs);
                Checks.optionalOneOf(Json.str(spec, "unhealthyPodEvictionPolicy"), List.of("AlwaysAllow", "IfHealthyBudget"),
                        "spec.unhealthyPodEvictionPolicy", errs);
            }
        });
        into.put("autoscaling/HorizontalPodAutoscaler", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode hpa, List<FieldError> errs) {
                ObjectNode spec = Json.obj(hpa, "spec");
                Long min = Json.lng(spec, "minReplicas");
                long max = Json.lng(spec, "maxReplicas") == null ? 0 : Json.lng(spec, "maxReplicas");
                if (min != null && min < 1) {
                    errs.add(FieldError.invalid("spec.minReplicas", min, "must be greater than or equal to 1"));
                }
                if (max < 1) {
                    errs.add(FieldError.invalid("spec.maxReplicas", max, "must be greater than 0"));
                }
                if (min != null && max < min) {
                    errs.add(FieldError.invalid("spec.maxReplicas", max, "must be greater than or equal to `minReplicas`"));
                }
                ObjectNode ref = Json.obj(spec, "scaleTargetRef");
                String kind = Json.strOr(ref, "kind", "");
                String name = Json.strOr(ref, "name", "");
                if (kind.isEmpty()) {
                    errs.add(FieldError.required("spec.scaleTargetRef.kind", ""));
                } else {
                    for (String m : PathSegments.isValidPathSegmentName(kind, false)) {
                        errs.add(FieldError.invalid("spec.scaleTargetRef.kind", kind, m));
                    }
                }
                if (name.isEmpty()) {
                    errs.add(FieldError.required("spec.scaleTargetRef.name", ""));
                } else {
                    for (String m : PathSegments.isValidPathSegmentName(name, false)) {
                        errs.add(FieldError.invalid("spec.scaleTargetRef.name", name, m));
                    }
                }
                Long cpu = Json.lng(spec, "targetCPUUtilizationPercentage");
                if (cpu != null && cpu < 1) {
                    errs.add(FieldError.invalid("spec.targetCPUUtilizationPercentage", cpu, "must be greater than 0"));
                }
            }
        });
        into.put("scheduling.k8s.io/PriorityClass", new KindValidator(false, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode pc, List<FieldError> errs) {
                String name = Json.strOr(Json.obj(pc, "metadata"), "name", "");
                long value = Json.lng(pc, "value") == null ? 0 : Json.lng(pc, "value");
                // upstream's ValidatePriorityClass: the prefix is for the system classes exactly as they are defined
                if (name.startsWith(SystemPriorityClasses.PREFIX)) {
                    SystemPriorityClasses.whyUnknown(name, pc.get("value"), pc.get("globalDefault")).ifPresent(why ->
                            errs.add(FieldError.forbidden("metadata.name", "priority class names with '"
                                    + SystemPriorityClasses.PREFIX + "' prefix are reserved for system use only. error: "
                                    + why)));
                } else if (value > SystemPriorityClasses.HIGHEST_USER_DEFINABLE_PRIORITY) {
                    errs.add(FieldError.forbidden("value", "maximum allowed value of a user defined priority is "
                            + SystemPriorityClasses.HIGHEST_USER_DEFINABLE_PRIORITY));
                }
                Checks.optionalOneOf(Json.str(pc, "preemptionPolicy"), List.of("Never", "PreemptLowerPriority"), "preemptionPolicy", errs);
            }

            @Override
            void validateImmutable(ObjectNode pc, ObjectNode old, List<FieldError> errs) {
                if (!SemanticEquality.equal(pc.get("value"), old.get("value"))) {
                    errs.add(FieldError.forbidden("value", "may not be changed in an update."));
                }
                Checks.immutable(pc.get("preemptionPolicy"), old.get("preemptionPolicy"), "preemptionPolicy", errs);
            }
        });
        into.put("storage.k8s.io/StorageClass", new KindValidator(false, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode sc, List<FieldError> errs) {
                String provisioner = Json.strOr(sc, "provisioner", "");
                if (provisioner.isEmpty()) {
                    errs.add(FieldError.required("provisioner", ""));
                } else {
                    Checks.qualifiedName(provisioner.toLowerCase(), "provisioner", errs);
                }
                Checks.optionalOneOf(Json.str(sc, "reclaimPolicy"), List.of("Delete", "Retain"), "reclaimPolicy", errs);
                Checks.optionalOneOf(Json.str(sc, "volumeBindingMode"), List.of("Immediate", "WaitForFirstConsumer"), "volumeBindingMode", errs);
            }

            @Override
            void validateImmutable(ObjectNode sc, ObjectNode old, List<FieldError> errs) {
                if (!SemanticEquality.equal(sc.get("parameters"), old.get("parameters"))) {
                    errs.add(FieldError.forbidden("parameters", "updates to parameters are forbidden."));
                }
                if (!SemanticEquality.equal(sc.get("provisioner"), old.get("provisioner"))) {
                    errs.add(FieldError.forbidden("provisioner", "updates to provisioner are forbidden."));
                }
                if (!SemanticEquality.equal(sc.get("reclaimPolicy"), old.get("reclaimPolicy"))) {
                    errs.add(FieldError.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
                }
                Checks.immutable(sc.get("volumeBindingMode"), old.get("volumeBindingMode"), "volumeBindingMode", errs);
            }
        });
        into.put("events.k8s.io/Event", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode event, List<FieldError> errs) {
                EventValidation.eventsV1(event, errs);
            }

            @Override
            void validateForUpdate(ObjectNode event, ObjectNode old, List<FieldError> errs) {
                // upstream: an update may change only the series, whatever API wrote the event first
                EventValidation.eventsV1Update(event, old, errs);
            }
        });
        into.put("apiextensions.k8s.io/CustomResourceDefinition", new KindValidator(false, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode crd, List<FieldError> errs) {
                ObjectNode spec = Json.obj(crd, "spec");
                String name = Json.strOr(Json.obj(crd, "metadata"), "name", "");
                String plural = Json.strOr(Json.obj(spec, "names"), "plural", "");
                String group = Json.strOr(spec, "group", "");
                if (!name.equals(plural + "." + group)) {
                    errs.add(FieldError.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
                }
                if (group.isEmpty()) {
                    errs.add(FieldError.required("spec.group", ""));
                } else {
                    Checks.dns1123Subdomain(group, "spec.group", errs);
                    if (group.split("\\.").length < 2) {
                        errs.add(FieldError.invalid("spec.group", group, "should be a domain with at least one dot"));
                    }
                }
                Checks.oneOf(Json.str(spec, "scope"), List.of("Cluster", "Namespaced"), "spec.scope", errs);
                if (Json.arr(spec, "versions").isEmpty()) {
                    errs.add(FieldError.invalid("spec.versions", new GoFormat.Raw("[]apiextensions.CustomResourceDefinitionVersion(nil)"),
                            "must have exactly one version marked as storage version"));
                }
            }
        });
        Set<String> clusterScoped = new HashSet<>(List.of("admissionregistration.k8s.io/MutatingWebhookConfiguration",
                "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
                "certificates.k8s.io/CertificateSigningRequest"));
        for (String kind : clusterScoped) {
            into.put(kind, KindValidator.metaOnly(false, NameFn.DNS_SUBDOMAIN, true));
        }
        into.put("node.k8s.io/RuntimeClass", new RuntimeClassValidator());
        StorageValidators.register(into);
    }
}

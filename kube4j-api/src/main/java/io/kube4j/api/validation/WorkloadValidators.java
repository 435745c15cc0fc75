package io.kube4j.api.validation;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** apps/v1 workloads: Deployment, ReplicaSet, StatefulSet, DaemonSet. */
final class WorkloadValidators {
    private WorkloadValidators() {
    }

    static void register(Map<String, Validator> into) {
        into.put("apps/Deployment", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode d, List<FieldError> errs) {
                ObjectNode spec = Json.obj(d, "spec");
                Checks.nonNegative(spec, "replicas", "spec.replicas", errs);
                selectorAndTemplate(spec, "deployment", "ReplicaSet", errs);
                strategy(Json.obj(spec, "strategy"), "spec.strategy", errs);
                Checks.nonNegative(spec, "minReadySeconds", "spec.minReadySeconds", errs);
                Checks.nonNegative(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit", errs);
                Long deadline = Json.lng(spec, "progressDeadlineSeconds");
                if (deadline != null) {
                    Checks.nonNegative(spec, "progressDeadlineSeconds", "spec.progressDeadlineSeconds", errs);
                    Long minReady = Json.lng(spec, "minReadySeconds");
                    if (deadline <= (minReady == null ? 0 : minReady)) {
                        errs.add(FieldError.invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
                    }
                }
            }

            @Override
            void validateImmutable(ObjectNode d, ObjectNode old, List<FieldError> errs) {
                immutableSelector(d, old, errs);
            }
        });
        into.put("apps/ReplicaSet", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode rs, List<FieldError> errs) {
                ObjectNode spec = Json.obj(rs, "spec");
                Checks.nonNegative(spec, "replicas", "spec.replicas", errs);
                Checks.nonNegative(spec, "minReadySeconds", "spec.minReadySeconds", errs);
                // upstream's ReplicaSet message says "deployment" too
                selectorAndTemplate(spec, "deployment", "ReplicaSet", errs);
            }

            @Override
            void validateImmutable(ObjectNode rs, ObjectNode old, List<FieldError> errs) {
                immutableSelector(rs, old, errs);
            }
        });
        into.put("apps/StatefulSet", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode ss, List<FieldError> errs) {
                ObjectNode spec = Json.obj(ss, "spec");
                String policy = Json.strOr(spec, "podManagementPolicy", "");
                if (!policy.equals("OrderedReady") && !policy.equals("Parallel")) {
                    errs.add(FieldError.invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'"));
                }
                ObjectNode strategy = Json.obj(spec, "updateStrategy");
                String type = Json.strOr(strategy, "type", "");
                if (type.equals("OnDelete") && Json.has(strategy, "rollingUpdate")) {
                    errs.add(FieldError.invalid("spec.updateStrategy.rollingUpdate", new GoFormat.Raw(String.valueOf(strategy.get("rollingUpdate"))),
                            "only allowed for updateStrategy 'RollingUpdate'"));
                } else if (type.equals("RollingUpdate")) {
                    Checks.nonNegative(Json.obj(strategy, "rollingUpdate"), "partition", "spec.updateStrategy.rollingUpdate.partition", errs);
                } else if (!type.equals("OnDelete")) {
                    errs.add(FieldError.invalid("spec.updateStrategy", new GoFormat.Raw(String.valueOf(strategy)),
                            "must be 'RollingUpdate' or 'OnDelete'"));
                }
                ObjectNode retention = Json.obj(spec, "persistentVolumeClaimRetentionPolicy");
                if (retention != null) {
                    Checks.optionalOneOf(Json.str(retention, "whenDeleted"), List.of("Retain", "Delete"),
                            "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", errs);
                    Checks.optionalOneOf(Json.str(retention, "whenScaled"), List.of("Retain", "Delete"),
                            "spec.persistentVolumeClaimRetentionPolicy.whenScaled", errs);
                }
                Checks.nonNegative(spec, "replicas", "spec.replicas", errs);
                Checks.nonNegative(spec, "minReadySeconds", "spec.minReadySeconds", errs);
                selectorAndTemplate(spec, "statefulset", "StatefulSet", errs);
                List<ObjectNode> claims = Json.objs(spec, "volumeClaimTemplates");
                for (int i = 0; i < claims.size(); i++) {
                    String p = Paths.index("spec.volumeClaimTemplates", i);
                    String name = Json.strOr(Json.obj(claims.get(i), "metadata"), "name", "");
                    if (name.isEmpty()) {
                        errs.add(FieldError.required(Paths.child(p, "metadata.name"), "name or generateName is required"));
                    }
                    CoreValidators.claimSpec(Json.obj(claims.get(i), "spec"), Paths.child(p, "spec"), errs);
                }
            }

            @Override
            void validateImmutable(ObjectNode ss, ObjectNode old, List<FieldError> errs) {
                ObjectNode spec = Json.obj(ss, "spec");
                ObjectNode oldSpec = Json.obj(old, "spec");
                if (spec == null || oldSpec == null) {
                    return;
                }
                ObjectNode a = spec.deepCopy();
                ObjectNode b = oldSpec.deepCopy();
                for (String f : List.of("replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
                        "minReadySeconds")) {
                    a.remove(f);
                    b.remove(f);
                }
                if (!SemanticEquality.equal(a, b)) {
                    errs.add(FieldError.forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                            + "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
                }
            }
        });
        into.put("apps/DaemonSet", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode ds, List<FieldError> errs) {
                ObjectNode spec = Json.obj(ds, "spec");
                selectorAndTemplate(spec, "daemonset", "DaemonSet", errs);
                Checks.nonNegative(spec, "minReadySeconds", "spec.minReadySeconds", errs);
                Checks.nonNegative(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit", errs);
                ObjectNode strategy = Json.obj(spec, "updateStrategy");
                String type = Json.strOr(strategy, "type", "");
                switch (type) {
                    case "OnDelete" -> { }
                    case "RollingUpdate" -> {
                        ObjectNode ru = Json.obj(strategy, "rollingUpdate");
                        String p = "spec.updateStrategy.rollingUpdate";
                        if (ru == null) {
                            errs.add(FieldError.required(p, ""));
                            break;
                        }
                        JsonNode maxUnavailable = Json.node(ru, "maxUnavailable");
                        JsonNode maxSurge = Json.node(ru, "maxSurge");
                        IntOrPercent.positive(maxUnavailable, p + ".maxUnavailable", errs);
                        IntOrPercent.notMoreThan100Percent(maxUnavailable, p + ".maxUnavailable", errs);
                        IntOrPercent.positive(maxSurge, p + ".maxSurge", errs);
                        IntOrPercent.notMoreThan100Percent(maxSurge, p + ".maxSurge", errs);
                        boolean hasUnavailable = IntOrPercent.value(maxUnavailable) != 0;
                        boolean hasSurge = IntOrPercent.value(maxSurge) != 0;
                        if (hasSurge && hasUnavailable) {
                            errs.add(FieldError.forbidden(p + ".maxSurge", "may not be set when maxUnavailable is non-zero"));
                        } else if (!hasSurge && !hasUnavailable) {
                            errs.add(FieldError.required(p + ".maxUnavailable", "cannot be 0 when maxSurge is 0"));
                        }
                    }
                    default -> errs.add(FieldError.notSupported("spec.updateStrategy.type", type, List.of("OnDelete", "RollingUpdate")));
                }
            }

            @Override
            void validateImmutable(ObjectNode ds, ObjectNode old, List<FieldError> errs) {
                immutableSelector(ds, old, errs);
            }
        });
        into.put("apps/ControllerRevision", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode cr, List<FieldError> errs) {
                Checks.nonNegative(cr, "revision", "revision", errs);
            }

            @Override
            void validateImmutable(ObjectNode cr, ObjectNode old, List<FieldError> errs) {
                Checks.immutable(Json.node(cr, "data"), Json.node(old, "data"), "data", errs);
            }
        });
    }

    /**
     * A required, non-empty selector that matches the template's labels, and a template whose pods restart
     * Always and have no activeDeadlineSeconds (upstream's ValidatePodTemplateSpecForReplicaSet and friends).
     */
    static void selectorAndTemplate(ObjectNode spec, String emptyName, String kindName, List<FieldError> errs) {
        ObjectNode selector = Json.obj(spec, "selector");
        if (selector == null) {
            errs.add(FieldError.required("spec.selector", ""));
        } else {
            LabelSelectors.validate(selector, "spec.selector", errs);
            if (LabelSelectors.isEmpty(selector)) {
                errs.add(FieldError.invalid("spec.selector", LabelSelectors.goValue(selector), "empty selector is invalid for " + emptyName));
            }
        }
        ObjectNode template = Json.obj(spec, "template");
        if (template == null) {
            errs.add(FieldError.required("spec.template", ""));
            return;
        }
        ObjectNode labels = Json.obj(Json.obj(template, "metadata"), "labels");
        if (selector != null && !LabelSelectors.isEmpty(selector) && !LabelSelectors.matches(selector, labels)) {
            errs.add(FieldError.invalid("spec.template.metadata.labels", Checks.stringMap(labels), "`selector` does not match template `labels`"));
        }
        PodValidator.validateTemplate(template, "spec.template", errs);
        ObjectNode podSpec = Json.obj(template, "spec");
        String restart = Json.strOr(podSpec, "restartPolicy", "");
        if (!restart.equals("Always")) {
            errs.add(FieldError.notSupported("spec.template.spec.restartPolicy", restart, List.of("Always")));
        }
        if (Json.has(podSpec, "activeDeadlineSeconds")) {
            errs.add(FieldError.forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in " + kindName + " is not Supported"));
        }
    }

    static void strategy(ObjectNode strategy, String path, List<FieldError> errs) {
        String type = Json.strOr(strategy, "type", "");
        switch (type) {
            case "Recreate" -> {
                if (Json.has(strategy, "rollingUpdate")) {
                    errs.add(FieldError.forbidden(path + ".rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
                }
            }
            case "RollingUpdate" -> {
                ObjectNode ru = Json.obj(strategy, "rollingUpdate");
                if (ru == null) {
                    errs.add(FieldError.required(path + ".rollingUpdate", "this should be defaulted and never be nil"));
                    return;
                }
                JsonNode maxUnavailable = Json.node(ru, "maxUnavailable");
                JsonNode maxSurge = Json.node(ru, "maxSurge");
                IntOrPercent.positive(maxUnavailable, path + ".rollingUpdate.maxUnavailable", errs);
                IntOrPercent.positive(maxSurge, path + ".rollingUpdate.maxSurge", errs);
                if (IntOrPercent.value(maxUnavailable) == 0 && IntOrPercent.value(maxSurge) == 0) {
                    errs.add(FieldError.invalid(path + ".rollingUpdate.maxUnavailable", IntOrPercent.raw(maxUnavailable),
                            "may not be 0 when `maxSurge` is 0"));
                }
                IntOrPercent.notMoreThan100Percent(maxUnavailable, path + ".rollingUpdate.maxUnavailable", errs);
            }
            default -> errs.add(FieldError.notSupported(path, new GoFormat.Raw(String.valueOf(strategy)), List.of("Recreate", "RollingUpdate")));
        }
    }

    static void immutableSelector(ObjectNode obj, ObjectNode old, List<FieldError> errs) {
        ObjectNode selector = Json.obj(Json.obj(obj, "spec"), "selector");
        ObjectNode oldSelector = Json.obj(Json.obj(old, "spec"), "selector");
        if (!SemanticEquality.equal(selector, oldSelector)) {
            errs.add(FieldError.invalid("spec.selector", LabelSelectors.goValue(selector), ObjectMetaValidation.IMMUTABLE));
        }
    }
}

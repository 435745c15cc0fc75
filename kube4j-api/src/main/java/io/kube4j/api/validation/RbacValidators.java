package io.kube4j.api.validation;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** rbac.authorization.k8s.io/v1 objects: rules, role references and subjects. */
final class RbacValidators {
    private RbacValidators() {
    }

    static final String GROUP = "rbac.authorization.k8s.io";

    static void register(Map<String, Validator> into) {
        into.put(GROUP + "/Role", new KindValidator(true, NameFn.PATH_SEGMENT) {
            @Override
            void validate(ObjectNode role, List<FieldError> errs) {
                rules(role, true, errs);
            }
        });
        into.put(GROUP + "/ClusterRole", new KindValidator(false, NameFn.PATH_SEGMENT) {
            @Override
            void validate(ObjectNode role, List<FieldError> errs) {
                rules(role, false, errs);
                ObjectNode aggregation = Json.obj(role, "aggregationRule");
                List<ObjectNode> selectors = Json.objs(aggregation, "clusterRoleSelectors");
                for (int i = 0; i < selectors.size(); i++) {
                    LabelSelectors.validate(selectors.get(i), Paths.index("aggregationRule.clusterRoleSelectors", i), errs);
                }
            }
        });
        into.put(GROUP + "/RoleBinding", new KindValidator(true, NameFn.PATH_SEGMENT) {
            @Override
            void validate(ObjectNode binding, List<FieldError> errs) {
                binding(binding, true, errs);
            }

            @Override
            void validateImmutable(ObjectNode binding, ObjectNode old, List<FieldError> errs) {
                roleRefImmutable(binding, old, errs);
            }
        });
        into.put(GROUP + "/ClusterRoleBinding", new KindValidator(false, NameFn.PATH_SEGMENT) {
            @Override
            void validate(ObjectNode binding, List<FieldError> errs) {
                binding(binding, false, errs);
            }

            @Override
            void validateImmutable(ObjectNode binding, ObjectNode old, List<FieldError> errs) {
                roleRefImmutable(binding, old, errs);
            }
        });
    }

    private static void rules(ObjectNode role, boolean namespaced, List<FieldError> errs) {
        List<ObjectNode> rules = Json.objs(role, "rules");
        for (int i = 0; i < rules.size(); i++) {
            ObjectNode rule = rules.get(i);
            String p = Paths.index("rules", i);
            if (Json.arr(rule, "verbs").isEmpty()) {
                errs.add(FieldError.required(Paths.child(p, "verbs"), "verbs must contain at least one value"));
            }
            boolean nonResource = !Json.arr(rule, "nonResourceURLs").isEmpty();
            if (nonResource) {
                if (namespaced) {
                    errs.add(FieldError.invalid(Paths.child(p, "nonResourceURLs"), Json.strs(rule, "nonResourceURLs"),
                            "namespaced rules cannot apply to non-resource URLs"));
                }
                if (!Json.arr(rule, "apiGroups").isEmpty() || !Json.arr(rule, "resources").isEmpty()
                        || !Json.arr(rule, "resourceNames").isEmpty()) {
                    errs.add(FieldError.invalid(Paths.child(p, "nonResourceURLs"), Json.strs(rule, "nonResourceURLs"),
                            "rules cannot apply to both regular resources and non-resource URLs"));
                }
                continue;
            }
            if (Json.arr(rule, "apiGroups").isEmpty()) {
                errs.add(FieldError.required(Paths.child(p, "apiGroups"), "resource rules must supply at least one api group"));
            }
            if (Json.arr(rule, "resources").isEmpty()) {
                errs.add(FieldError.required(Paths.child(p, "resources"), "resource rules must supply at least one resource"));
            }
        }
    }

    private static void binding(ObjectNode binding, boolean namespaced, List<FieldError> errs) {
        ObjectNode ref = Json.obj(binding, "roleRef");
        String apiGroup = Json.strOr(ref, "apiGroup", "");
        if (!apiGroup.equals(GROUP)) {
            errs.add(FieldError.notSupported("roleRef.apiGroup", apiGroup, List.of(GROUP)));
        }
        String kind = Json.strOr(ref, "kind", "");
        List<String> kinds = namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole");
        if (!kinds.contains(kind)) {
            errs.add(FieldError.notSupported("roleRef.kind", kind, kinds));
        }
        String name = Json.strOr(ref, "name", "");
        if (name.isEmpty()) {
            errs.add(FieldError.required("roleRef.name", ""));
        } else {
            for (String m : PathSegments.isValidPathSegmentName(name, false)) {
                errs.add(FieldError.invalid("roleRef.name", name, m));
            }
        }
        List<ObjectNode> subjects = Json.objs(binding, "subjects");
        for (int i = 0; i < subjects.size(); i++) {
            ObjectNode s = subjects.get(i);
            String p = Paths.index("subjects", i);
            String subjectName = Json.strOr(s, "name", "");
            if (subjectName.isEmpty()) {
                errs.add(FieldError.required(Paths.child(p, "name"), ""));
            }
            String subjectGroup = Json.strOr(s, "apiGroup", "");
            switch (Json.strOr(s, "kind", "")) {
                case "ServiceAccount" -> {
                    if (!subjectName.isEmpty()) {
                        Checks.dns1123Subdomain(subjectName, Paths.child(p, "name"), errs);
                    }
                    if (!subjectGroup.isEmpty()) {
                        errs.add(FieldError.notSupported(Paths.child(p, "apiGroup"), subjectGroup, List.of("")));
                    }
                    if (!namespaced && Json.strOr(s, "namespace", "").isEmpty()) {
                        errs.add(FieldError.required(Paths.child(p, "namespace"), ""));
                    }
                }
                case "User", "Group" -> {
                    if (!subjectGroup.equals(GROUP)) {
                        errs.add(FieldError.notSupported(Paths.child(p, "apiGroup"), subjectGroup, List.of(GROUP)));
                    }
                }
                default -> errs.add(FieldError.notSupported(Paths.child(p, "kind"), Json.strOr(s, "kind", ""),
                        List.of("ServiceAccount", "User", "Group")));
            }
        }
    }

    private static void roleRefImmutable(ObjectNode binding, ObjectNode old, List<FieldError> errs) {
        if (!SemanticEquality.equal(binding.get("roleRef"), old.get("roleRef"))) {
            ObjectNode ref = Json.obj(binding, "roleRef");
            errs.add(FieldError.invalid("roleRef", new GoFormat.Raw("rbac.RoleRef{APIGroup:" + GoFormat.quote(Json.strOr(ref, "apiGroup", ""))
                    + ", Kind:" + GoFormat.quote(Json.strOr(ref, "kind", "")) + ", Name:" + GoFormat.quote(Json.strOr(ref, "name", "")) + "}"),
                    "cannot change roleRef"));
        }
    }
}

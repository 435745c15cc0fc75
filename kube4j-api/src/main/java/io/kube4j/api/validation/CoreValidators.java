package io.kube4j.api.validation;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Validators of the smaller core/v1 kinds. */
final class CoreValidators {
    private CoreValidators() {
    }

    static final int MAX_SECRET_SIZE = 1024 * 1024;
    static final List<String> ACCESS_MODES = List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");
    static final String IMMUTABLE_WHEN_SET = "field is immutable when `immutable` is set";

    static void register(Map<String, Validator> into) {
        into.put("/Pod", new PodValidator());
        into.put("/Service", new ServiceValidator());
        into.put("/ConfigMap", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode cm, List<FieldError> errs) {
                long total = 0;
                ObjectNode data = Json.obj(cm, "data");
                ObjectNode binary = Json.obj(cm, "binaryData");
                if (data != null) {
                    for (Map.Entry<String, JsonNode> e : data.properties()) {
                        for (String m : NameValidation.isConfigMapKey(e.getKey())) {
                            errs.add(FieldError.invalid(Paths.key("data", e.getKey()), e.getKey(), m));
                        }
                        if (binary != null && binary.has(e.getKey())) {
                            errs.add(FieldError.invalid(Paths.key("data", e.getKey()), e.getKey(), "duplicate of key present in binaryData"));
                        }
                        total += text(e.getValue()).getBytes(StandardCharsets.UTF_8).length;
                    }
                }
                if (binary != null) {
                    for (Map.Entry<String, JsonNode> e : binary.properties()) {
                        for (String m : NameValidation.isConfigMapKey(e.getKey())) {
                            errs.add(FieldError.invalid(Paths.key("binaryData", e.getKey()), e.getKey(), m));
                        }
                        total += decodedLength(e.getValue());
                    }
                }
                if (total > MAX_SECRET_SIZE) {
                    errs.add(FieldError.tooLong("", "", MAX_SECRET_SIZE));
                }
            }

            @Override
            void validateImmutable(ObjectNode cm, ObjectNode old, List<FieldError> errs) {
                immutableData(cm, old, List.of("data", "binaryData"), errs);
            }
        });
        into.put("/Secret", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode secret, List<FieldError> errs) {
                validateSecret(secret, errs);
            }

            @Override
            void validateImmutable(ObjectNode secret, ObjectNode old, List<FieldError> errs) {
                Checks.immutable(Json.node(secret, "type"), Json.node(old, "type"), "type", errs);
                immutableData(secret, old, List.of("data"), errs);
            }
        });
        into.put("/Namespace", new KindValidator(false, NameFn.DNS_LABEL) {
            @Override
            void validate(ObjectNode ns, List<FieldError> errs) {
                List<String> finalizers = Json.strs(Json.obj(ns, "spec"), "finalizers");
                for (int i = 0; i < finalizers.size(); i++) {
                    String f = finalizers.get(i);
                    String p = Paths.index("spec.finalizers", i);
                    Checks.qualifiedName(f, p, errs);
                    if (!f.contains("/") && !List.of("kubernetes", "orphan", "foregroundDeletion").contains(f)) {
                        errs.add(FieldError.invalid(p, f, "name is neither a standard finalizer name nor is it fully qualified"));
                    }
                }
            }
        });
        into.put("/Node", new KindValidator(false, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode node, List<FieldError> errs) {
                List<ObjectNode> taints = Json.objs(Json.obj(node, "spec"), "taints");
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (int i = 0; i < taints.size(); i++) {
                    ObjectNode t = taints.get(i);
                    String p = Paths.index("spec.taints", i);
                    String key = Json.strOr(t, "key", "");
                    Checks.qualifiedName(key, Paths.child(p, "key"), errs);
                    String value = Json.strOr(t, "value", "");
                    for (String m : NameValidation.isValidLabelValue(value)) {
                        errs.add(FieldError.invalid(Paths.child(p, "value"), value, m));
                    }
                    String effect = Json.strOr(t, "effect", "");
                    Checks.oneOf(effect, PodSpecValidation.TAINT_EFFECTS, Paths.child(p, "effect"), errs);
                    if (!seen.add(key + "/" + effect)) {
                        errs.add(FieldError.duplicate(p, new GoFormat.Raw("core.Taint{Key:" + GoFormat.quote(key) + ", Value:"
                                + GoFormat.quote(value) + ", Effect:" + GoFormat.quote(effect) + ", TimeAdded:<nil>}")));
                    }
                }
            }

            @Override
            void validateImmutable(ObjectNode node, ObjectNode old, List<FieldError> errs) {
                String oldCidr = Json.strOr(Json.obj(old, "spec"), "podCIDR", "");
                if (!oldCidr.isEmpty()) {
                    String cidr = Json.strOr(Json.obj(node, "spec"), "podCIDR", "");
                    if (!cidr.equals(oldCidr)) {
                        errs.add(FieldError.forbidden("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid"));
                    }
                }
            }
        });
        into.put("/ServiceAccount", KindValidator.metaOnly(true, NameFn.DNS_SUBDOMAIN, true));
        into.put("/Endpoints", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode ep, List<FieldError> errs) {
                List<ObjectNode> subsets = Json.objs(ep, "subsets");
                for (int i = 0; i < subsets.size(); i++) {
                    String sp = Paths.index("subsets", i);
                    ObjectNode ss = subsets.get(i);
                    if (Json.arr(ss, "addresses").isEmpty() && Json.arr(ss, "notReadyAddresses").isEmpty()) {
                        errs.add(FieldError.required(sp, "must specify `addresses` or `notReadyAddresses`"));
                    }
                    for (String list : List.of("addresses", "notReadyAddresses")) {
                        List<ObjectNode> addrs = Json.objs(ss, list);
                        for (int j = 0; j < addrs.size(); j++) {
                            String ip = Json.strOr(addrs.get(j), "ip", "");
                            String ipPath = Paths.child(Paths.index(Paths.child(sp, list), j), "ip");
                            if (!IpSyntax.isIp(ip)) {
                                errs.add(FieldError.invalid(ipPath, ip,
                                        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
                            }
                            // upstream adds these to the syntax check's error, an invalid IP being said twice
                            for (String problem : NonSpecialIp.problems(ip)) {
                                errs.add(FieldError.invalid(ipPath, ip, problem));
                            }
                        }
                    }
                    List<ObjectNode> ports = Json.objs(ss, "ports");
                    for (int j = 0; j < ports.size(); j++) {
                        String pp = Paths.index(Paths.child(sp, "ports"), j);
                        String name = Json.strOr(ports.get(j), "name", "");
                        if (ports.size() > 1 && name.isEmpty()) {
                            errs.add(FieldError.required(Paths.child(pp, "name"), ""));
                        } else if (!name.isEmpty()) {
                            Checks.dns1123Label(name, Paths.child(pp, "name"), errs);
                        }
                        Checks.port(ports.get(j), "port", Paths.child(pp, "port"), true, errs);
                        Checks.oneOf(Json.str(ports.get(j), "protocol"), PodSpecValidation.PROTOCOLS, Paths.child(pp, "protocol"), errs);
                    }
                }
            }
        });
        into.put("/PersistentVolume", new PersistentVolumeValidator());
        into.put("/PersistentVolumeClaim", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode pvc, List<FieldError> errs) {
                claimSpec(Json.obj(pvc, "spec"), "spec", errs);
            }

            @Override
            void validateImmutable(ObjectNode pvc, ObjectNode old, List<FieldError> errs) {
                ObjectNode spec = Json.obj(pvc, "spec");
                ObjectNode oldSpec = Json.obj(old, "spec");
                if (spec == null || oldSpec == null) {
                    return;
                }
                ObjectNode munged = spec.deepCopy();
                ObjectNode oldMunged = oldSpec.deepCopy();
                if (Json.strOr(oldSpec, "volumeName", "").isEmpty()) {
                    munged.remove("volumeName");
                    oldMunged.remove("volumeName");
                }
                // upstream's retroactive default StorageClass (GA in 1.28): a claim created without a class (and
                // without the beta class annotation) may be given one once; the PV controller does this
                ObjectNode oldAnnotations = Json.obj(Json.obj(old, "metadata"), "annotations");
                boolean oldHasClass = oldSpec.hasNonNull("storageClassName")
                        || (oldAnnotations != null && oldAnnotations.has("volume.beta.kubernetes.io/storage-class"));
                if (!oldHasClass && spec.hasNonNull("storageClassName")) {
                    munged.remove("storageClassName");
                }
                boolean bound = "Bound".equals(Json.str(Json.obj(old, "status"), "phase"));
                if (bound) {
                    ObjectNode r = Json.obj(munged, "resources");
                    ObjectNode oldR = Json.obj(oldMunged, "resources");
                    if (r != null) {
                        r.remove("requests");
                    }
                    if (oldR != null) {
                        oldR.remove("requests");
                    }
                }
                if (!SemanticEquality.equal(munged, oldMunged)) {
                    errs.add(FieldError.forbidden("spec", "spec is immutable after creation except resources.requests for bound claims"));
                }
            }
        });
        into.put("/Event", new KindValidator(null, (n, p) -> List.of()) {
            @Override
            void validate(ObjectNode event, List<FieldError> errs) {
                EventValidation.core(event, errs);
            }
        });
        into.put("/ResourceQuota", new ResourceQuotaValidator());
        for (String kind : List.of("LimitRange", "PodTemplate", "ReplicationController")) {
            into.put("/" + kind, KindValidator.metaOnly(true, NameFn.DNS_SUBDOMAIN, true));
        }
    }

    private static void validateSecret(ObjectNode secret, List<FieldError> errs) {
        ObjectNode data = Json.obj(secret, "data");
        long total = 0;
        if (data != null) {
            for (Map.Entry<String, JsonNode> e : data.properties()) {
                for (String m : NameValidation.isConfigMapKey(e.getKey())) {
                    errs.add(FieldError.invalid(Paths.key("data", e.getKey()), e.getKey(), m));
                }
                total += decodedLength(e.getValue());
            }
        }
        ObjectNode stringData = Json.obj(secret, "stringData");
        if (stringData != null) {
            for (Map.Entry<String, JsonNode> e : stringData.properties()) {
                for (String m : NameValidation.isConfigMapKey(e.getKey())) {
                    errs.add(FieldError.invalid(Paths.key("data", e.getKey()), e.getKey(), m));
                }
                total += text(e.getValue()).getBytes(StandardCharsets.UTF_8).length;
            }
        }
        if (total > MAX_SECRET_SIZE) {
            errs.add(FieldError.tooLong("data", "", MAX_SECRET_SIZE));
        }
        String type = Json.strOr(secret, "type", "");
        switch (type) {
            case "kubernetes.io/service-account-token" -> {
                String sa = Json.strOr(Json.obj(Json.obj(secret, "metadata"), "annotations"), "kubernetes.io/service-account.name", "");
                if (sa.isEmpty()) {
                    errs.add(FieldError.required("metadata.annotations[kubernetes.io/service-account.name]", ""));
                }
            }
            case "kubernetes.io/dockercfg" -> requireKey(secret, ".dockercfg", errs);
            case "kubernetes.io/dockerconfigjson" -> requireKey(secret, ".dockerconfigjson", errs);
            case "kubernetes.io/basic-auth" -> {
                if (!hasKey(secret, "username") && !hasKey(secret, "password")) {
                    errs.add(FieldError.required("data[username]", ""));
                    errs.add(FieldError.required("data[password]", ""));
                }
            }
            case "kubernetes.io/ssh-auth" -> requireKey(secret, "ssh-privatekey", errs);
            case "kubernetes.io/tls" -> {
                requireKey(secret, "tls.crt", errs);
                requireKey(secret, "tls.key", errs);
            }
            default -> { }
        }
    }

    private static boolean hasKey(ObjectNode secret, String key) {
        return (Json.obj(secret, "data") != null && Json.obj(secret, "data").has(key))
                || (Json.obj(secret, "stringData") != null && Json.obj(secret, "stringData").has(key));
    }

    private static void requireKey(ObjectNode secret, String key, List<FieldError> errs) {
        if (!hasKey(secret, key)) {
            errs.add(FieldError.required(Paths.key("data", key), ""));
        }
    }

    /** ConfigMaps and Secrets marked immutable keep their data and stay immutable. */
    private static void immutableData(ObjectNode obj, ObjectNode old, List<String> fields, List<FieldError> errs) {
        if (!Boolean.TRUE.equals(Json.bool(old, "immutable"))) {
            return;
        }
        if (!Boolean.TRUE.equals(Json.bool(obj, "immutable"))) {
            errs.add(FieldError.forbidden("immutable", IMMUTABLE_WHEN_SET));
        }
        for (String f : fields) {
            if (!SemanticEquality.equal(obj.get(f), old.get(f))) {
                errs.add(FieldError.forbidden(f, IMMUTABLE_WHEN_SET));
            }
        }
    }

    static void claimSpec(ObjectNode spec, String path, List<FieldError> errs) {
        List<String> modes = Json.strs(spec, "accessModes");
        if (modes.isEmpty()) {
            errs.add(FieldError.required(Paths.child(path, "accessModes"), "at least 1 access mode is required"));
        }
        for (String m : modes) {
            if (!ACCESS_MODES.contains(m)) {
                errs.add(FieldError.notSupported(Paths.child(path, "accessModes"), m, ACCESS_MODES));
            }
        }
        if (modes.contains("ReadWriteOncePod") && modes.size() > 1) {
            errs.add(FieldError.forbidden(Paths.child(path, "accessModes"), "may not use ReadWriteOncePod with other access modes"));
        }
        ObjectNode selector = Json.obj(spec, "selector");
        LabelSelectors.validate(selector, Paths.child(path, "selector"), errs);
        ObjectNode requests = Json.obj(Json.obj(spec, "resources"), "requests");
        String storagePath = Paths.key(Paths.child(path, "resources"), "storage");
        if (requests == null || !requests.has("storage")) {
            errs.add(FieldError.required(storagePath, ""));
        } else {
            java.math.BigDecimal q = QuantitySyntax.parse(requests.get("storage"));
            String text = text(requests.get("storage"));
            if (q == null) {
                errs.add(FieldError.invalid(storagePath, text, QuantitySyntax.FORMAT_ERROR));
            } else if (q.signum() <= 0) {
                errs.add(FieldError.invalid(storagePath, text, "must be greater than zero"));
            }
        }
        String storageClass = Json.str(spec, "storageClassName");
        if (storageClass != null && !storageClass.isEmpty()) {
            Checks.dns1123Subdomain(storageClass, Paths.child(path, "storageClassName"), errs);
        }
        Checks.optionalOneOf(Json.str(spec, "volumeMode"), List.of("Block", "Filesystem"), Paths.child(path, "volumeMode"), errs);
    }

    static String text(JsonNode v) {
        return v == null ? "" : v.isString() ? v.asString() : v.toString();
    }

    private static long decodedLength(JsonNode v) {
        String s = text(v);
        try {
            return Base64.getDecoder().decode(s).length;
        } catch (IllegalArgumentException e) {
            return s.length();
        }
    }
}

package io.kube4j.api.validation;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The storage.k8s.io/v1 CSI kinds, as upstream's {@code pkg/apis/storage/validation}: CSIDriver, CSINode,
 * CSIStorageCapacity and VolumeAttachment. kube4j runs no CSI driver; these are objects for others to read.
 */
final class StorageValidators {
    private static final List<String> FS_GROUP_POLICIES = List.of("File", "None", "ReadWriteOnceWithFSType");
    private static final List<String> LIFECYCLE_MODES = List.of("Persistent", "Ephemeral");
    private static final int CSI_NODE_ID_MAX_LENGTH = 192;
    private static final int CSI_DRIVER_NAME_MAX_LENGTH = 63;
    private static final int MAX_ATTACHED_METADATA_SIZE = 256 * 1024;
    private static final int MAX_VOLUME_ERROR_MESSAGE_SIZE = 1024;
    private static final long MIN_TOKEN_SECONDS = 600;
    private static final long MAX_TOKEN_SECONDS = 1L << 32;

    private StorageValidators() {
    }

    static void register(Map<String, Validator> into) {
        into.put("storage.k8s.io/CSIDriver", new CsiDriver());
        into.put("storage.k8s.io/CSINode", new CsiNode());
        into.put("storage.k8s.io/CSIStorageCapacity", new CsiStorageCapacity());
        into.put("storage.k8s.io/VolumeAttachment", new VolumeAttachment());
    }

    /**
     * Upstream's core ValidateCSIDriverName, for names that refer to a driver (a CSINode's drivers, an attacher):
     * required, at most 63 characters, a DNS subdomain once lowercased.
     */
    private static void driverName(String name, String path, List<FieldError> errs) {
        if (name.isEmpty()) {
            errs.add(FieldError.required(path, ""));
        }
        if (name.length() > CSI_DRIVER_NAME_MAX_LENGTH) {
            errs.add(FieldError.tooLong(path, name, CSI_DRIVER_NAME_MAX_LENGTH));
        }
        for (String m : NameValidation.isDns1123Subdomain(name.toLowerCase(Locale.ROOT))) {
            errs.add(FieldError.invalid(path, name, m));
        }
    }

    private static final class CsiDriver extends KindValidator {
        CsiDriver() {
            super(false, NameFn.DNS_SUBDOMAIN);
        }

        @Override
        void validate(ObjectNode driver, List<FieldError> errs) {
            ObjectNode spec = Json.obj(driver, "spec");
            // upstream's own path spells it "attachedRequired"; clients match on it, so it is kept
            requiredBool(spec, "attachRequired", "spec.attachedRequired", errs);
            requiredBool(spec, "podInfoOnMount", "spec.podInfoOnMount", errs);
            requiredBool(spec, "storageCapacity", "spec.storageCapacity", errs);
            Checks.optionalOneOf(Json.str(spec, "fsGroupPolicy"), FS_GROUP_POLICIES, "spec.fsGroupPolicy", errs);
            tokenRequests(Json.objs(spec, "tokenRequests"), errs);
            for (String mode : Json.strs(spec, "volumeLifecycleModes")) {
                if (!LIFECYCLE_MODES.contains(mode)) {
                    errs.add(FieldError.notSupported("spec.volumeLifecycleModes", mode, LIFECYCLE_MODES));
                }
            }
            // SELinuxMountReadWriteOncePod is on by default in 1.32, which makes seLinuxMount required
            requiredBool(spec, "seLinuxMount", "spec.seLinuxMount", errs);
        }

        @Override
        void validateImmutable(ObjectNode driver, ObjectNode old, List<FieldError> errs) {
            ObjectNode spec = Json.obj(driver, "spec");
            ObjectNode oldSpec = Json.obj(old, "spec");
            Checks.immutable(Json.node(spec, "attachRequired"), Json.node(oldSpec, "attachRequired"),
                    "spec.attachedRequired", errs);
            Checks.immutable(Json.node(spec, "volumeLifecycleModes"), Json.node(oldSpec, "volumeLifecycleModes"),
                    "spec.volumeLifecycleModes", errs);
        }

        private static void requiredBool(ObjectNode spec, String field, String path, List<FieldError> errs) {
            if (Json.bool(spec, field) == null) {
                errs.add(FieldError.required(path, ""));
            }
        }

        /** Audiences differ; an expiry, when given, lies between 10 minutes and 2^32 seconds. */
        private static void tokenRequests(List<ObjectNode> requests, List<FieldError> errs) {
            Set<String> audiences = new HashSet<>();
            for (int i = 0; i < requests.size(); i++) {
                String path = Paths.index("spec.tokenRequests", i);
                String audience = Json.strOr(requests.get(i), "audience", "");
                if (!audiences.add(audience)) {
                    errs.add(FieldError.duplicate(Paths.child(path, "audience"), audience));
                    continue;
                }
                Long seconds = Json.lng(requests.get(i), "expirationSeconds");
                if (seconds == null) {
                    continue;
                }
                if (seconds < MIN_TOKEN_SECONDS) {
                    errs.add(FieldError.invalid(Paths.child(path, "expirationSeconds"), seconds,
                            "may not specify a duration less than 10 minutes"));
                }
                if (seconds > MAX_TOKEN_SECONDS) {
                    errs.add(FieldError.invalid(Paths.child(path, "expirationSeconds"), seconds,
                            "may not specify a duration larger than 2^32 seconds"));
                }
            }
        }
    }

    private static final class CsiNode extends KindValidator {
        CsiNode() {
            // a CSINode is named after its Node, so the name follows the node name rules (a DNS subdomain)
            super(false, NameFn.DNS_SUBDOMAIN);
        }

        @Override
        void validate(ObjectNode csiNode, List<FieldError> errs) {
            List<ObjectNode> drivers = Json.objs(Json.obj(csiNode, "spec"), "drivers");
            Set<String> names = new HashSet<>();
            for (int i = 0; i < drivers.size(); i++) {
                ObjectNode driver = drivers.get(i);
                String path = Paths.index("spec.drivers", i);
                String name = Json.strOr(driver, "name", "");
                driverName(name, Paths.child(path, "name"), errs);
                nodeId(Json.strOr(driver, "nodeID", ""), Paths.child(path, "nodeID"), errs);
                Checks.nonNegative(Json.obj(driver, "allocatable"), "count", Paths.child(path, "allocatable.count"),
                        errs);
                if (!names.add(name)) {
                    errs.add(FieldError.duplicate(Paths.child(path, "name"), name));
                }
                Set<String> keys = new HashSet<>();
                for (String key : Json.strs(driver, "topologyKeys")) {
                    if (key.isEmpty()) {
                        errs.add(FieldError.required(path, ""));
                    }
                    if (!keys.add(key)) {
                        errs.add(FieldError.duplicate(path, key));
                    }
                    Checks.qualifiedName(key, path, errs);
                }
            }
        }

        private static void nodeId(String nodeId, String path, List<FieldError> errs) {
            if (nodeId.isEmpty()) {
                errs.add(FieldError.required(path, ""));
            }
            if (nodeId.length() > CSI_NODE_ID_MAX_LENGTH) {
                errs.add(FieldError.invalid(path, nodeId, "must be " + CSI_NODE_ID_MAX_LENGTH + " characters or less"));
            }
        }

        /** A driver already registered keeps its entry as it was; drivers may come and go. */
        @Override
        void validateImmutable(ObjectNode csiNode, ObjectNode old, List<FieldError> errs) {
            List<ObjectNode> drivers = Json.objs(Json.obj(csiNode, "spec"), "drivers");
            for (ObjectNode oldDriver : Json.objs(Json.obj(old, "spec"), "drivers")) {
                for (ObjectNode driver : drivers) {
                    if (Json.strOr(oldDriver, "name", "").equals(Json.strOr(driver, "name", ""))) {
                        Checks.immutable(driver, oldDriver, "spec.drivers", errs);
                    }
                }
            }
        }
    }

    private static final class CsiStorageCapacity extends KindValidator {
        CsiStorageCapacity() {
            super(true, NameFn.DNS_SUBDOMAIN);
        }

        @Override
        void validate(ObjectNode capacity, List<FieldError> errs) {
            LabelSelectors.validate(Json.obj(capacity, "nodeTopology"), "nodeTopology", errs);
            Checks.dns1123Subdomain(Json.strOr(capacity, "storageClassName", ""), "storageClassName", errs);
            JsonNode quantity = Json.node(capacity, "capacity");
            if (quantity != null) {
                BigDecimal q = QuantitySyntax.parse(quantity);
                if (q == null) {
                    errs.add(FieldError.invalid("capacity", QuantitySyntax.canonical(quantity),
                            QuantitySyntax.FORMAT_ERROR));
                } else if (q.signum() < 0) {
                    errs.add(FieldError.invalid("capacity", QuantitySyntax.canonical(quantity),
                            "must be greater than or equal to 0"));
                }
            }
        }

        /** Upstream checks only ObjectMeta on update, then that GetCapacity's inputs stay as they were. */
        @Override
        void validateForUpdate(ObjectNode capacity, ObjectNode old, List<FieldError> errs) {
            if (!SemanticEquality.equal(Json.node(capacity, "nodeTopology"), Json.node(old, "nodeTopology"))) {
                errs.add(FieldError.invalid("nodeTopology", LabelSelectors.goValue(Json.obj(capacity, "nodeTopology")),
                        ObjectMetaValidation.IMMUTABLE));
            }
            Checks.immutable(Json.node(capacity, "storageClassName"), Json.node(old, "storageClassName"),
                    "storageClassName", errs);
        }
    }

    private static final class VolumeAttachment extends KindValidator {
        VolumeAttachment() {
            super(false, NameFn.DNS_SUBDOMAIN);
        }

        @Override
        void validate(ObjectNode attachment, List<FieldError> errs) {
            ObjectNode spec = Json.obj(attachment, "spec");
            String attacher = Json.strOr(spec, "attacher", "");
            if (attacher.isEmpty()) {
                errs.add(FieldError.required("spec.attacher", ""));
            }
            source(Json.obj(spec, "source"), errs);
            String node = Json.strOr(spec, "nodeName", "");
            Checks.dns1123Subdomain(node, "spec.nodeName", errs);
            status(Json.obj(attachment, "status"), errs);
            // v1's extra rules (ValidateVolumeAttachmentV1): the attacher is a CSI driver's name (an empty one is
            // reported again there, as upstream does)
            driverName(attacher, "spec.attacher", errs);
            String volume = Json.str(Json.obj(spec, "source"), "persistentVolumeName");
            if (volume != null && !volume.isEmpty()) {
                Checks.dns1123Subdomain(volume, "spec.source.persistentVolumeName", errs);
            }
        }

        private static void source(ObjectNode source, List<FieldError> errs) {
            String volume = Json.str(source, "persistentVolumeName");
            ObjectNode inline = Json.obj(source, "inlineVolumeSpec");
            String message = "must specify exactly one of inlineVolumeSpec and persistentVolumeName";
            if (volume == null && inline == null) {
                errs.add(FieldError.required("spec.source", message));
            } else if (volume != null && inline != null) {
                errs.add(FieldError.forbidden("spec.source", message));
            } else if (volume != null) {
                if (volume.isEmpty()) {
                    errs.add(FieldError.required("spec.source.persistentVolumeName",
                            "must specify non empty persistentVolumeName"));
                }
            } else {
                inlineVolumeSpec(inline, errs);
            }
        }

        /** Upstream's PersistentVolumeSpec rules in the context of inline volumes: a CSI source, nothing bound. */
        private static void inlineVolumeSpec(ObjectNode spec, List<FieldError> errs) {
            String path = "spec.source.inlineVolumeSpec";
            List<String> modes = Json.strs(spec, "accessModes");
            if (modes.isEmpty()) {
                errs.add(FieldError.required(Paths.child(path, "accessModes"), ""));
            }
            for (String mode : modes) {
                if (!CoreValidators.ACCESS_MODES.contains(mode)) {
                    errs.add(FieldError.notSupported(Paths.child(path, "accessModes"), mode, CoreValidators.ACCESS_MODES));
                }
            }
            if (Json.has(spec, "claimRef")) {
                errs.add(FieldError.forbidden(Paths.child(path, "claimRef"),
                        "may not be specified in the context of inline volumes"));
            }
            ObjectNode capacity = Json.obj(spec, "capacity");
            if (capacity != null && !capacity.isEmpty()) {
                errs.add(FieldError.forbidden(Paths.child(path, "capacity"),
                        "may not be specified in the context of inline volumes"));
            }
            ObjectNode csi = Json.obj(spec, "csi");
            if (csi == null) {
                errs.add(FieldError.required(Paths.child(path, "csi"), "has to be specified in the context of inline volumes"));
                return;
            }
            driverName(Json.strOr(csi, "driver", ""), Paths.child(path, "csi.driver"), errs);
            if (Json.strOr(csi, "volumeHandle", "").isEmpty()) {
                errs.add(FieldError.required(Paths.child(path, "csi.volumeHandle"), ""));
            }
        }

        private static void status(ObjectNode status, List<FieldError> errs) {
            if (status == null) {
                return;
            }
            long size = 0;
            ObjectNode metadata = Json.obj(status, "attachmentMetadata");
            if (metadata != null) {
                for (Map.Entry<String, JsonNode> e : metadata.properties()) {
                    size += e.getKey().length() + e.getValue().asString("").length();
                }
            }
            if (size > MAX_ATTACHED_METADATA_SIZE) {
                errs.add(FieldError.tooLong("status.attachmentMetadata", "", MAX_ATTACHED_METADATA_SIZE));
            }
            volumeError(Json.obj(status, "attachError"), "status.attachError", errs);
            volumeError(Json.obj(status, "detachError"), "status.detachError", errs);
        }

        private static void volumeError(ObjectNode error, String path, List<FieldError> errs) {
            if (error == null) {
                return;
            }
            if (Json.strOr(error, "message", "").length() > MAX_VOLUME_ERROR_MESSAGE_SIZE) {
                // upstream reports the metadata limit here, not the message's 1024: kept as it words it
                errs.add(FieldError.tooLong(Paths.child(path, "message"), "", MAX_ATTACHED_METADATA_SIZE));
            }
            Long code = Json.lng(error, "errorCode");
            if (code != null && code < 0) {
                errs.add(FieldError.invalid(Paths.child(path, "errorCode"), code,
                        NameValidation.inclusiveRangeError(0, Integer.MAX_VALUE)));
            }
        }

        /** The spec is read-only once created; the status is validated again. */
        @Override
        void validateImmutable(ObjectNode attachment, ObjectNode old, List<FieldError> errs) {
            if (!SemanticEquality.equal(Json.node(attachment, "spec"), Json.node(old, "spec"))) {
                errs.add(FieldError.invalid("spec", new GoFormat.Raw(String.valueOf(Json.node(attachment, "spec"))),
                        ObjectMetaValidation.IMMUTABLE));
            }
        }
    }
}

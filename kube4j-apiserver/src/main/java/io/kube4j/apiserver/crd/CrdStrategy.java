package io.kube4j.apiserver.crd;

import io.kube4j.api.apply.FieldSet;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.validation.FieldError;
import io.kube4j.api.validation.NameValidation;
import io.kube4j.apiserver.crd.celrules.SchemaRules;
import io.kube4j.apiserver.registry.DefaultStrategy;
import io.kube4j.apiserver.registry.ResetFields;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The strategy of apiextensions.k8s.io/v1 CustomResourceDefinitions, as upstream's: defaults (singular,
 * listKind, conversion), the cleanup finalizer, storedVersions, and the validation beyond the generic
 * checks (names, versions, structural schemas and their CEL rules, printer columns, scale paths). Conditions
 * are the {@link CrdController}'s.
 */
public final class CrdStrategy extends DefaultStrategy {

    public CrdStrategy(ResourceType type) {
        super(type);
    }

    @Override
    public boolean hasStatus() {
        return true;
    }

    /**
     * Upstream's CRD statusStrategy.GetResetFields: metadata and spec (a status apply owns only status).
     * <p>
     * What a status write keeps of the request's metadata is the default's (labels, annotations, finalizers, owner
     * references): upstream's statusStrategy.PrepareForUpdate calls ResetObjectMetaForStatus with the new metadata
     * as both arguments, which resets nothing, so those fields follow a CRD status write there too.
     */
    @Override
    public FieldSet resetFields(boolean statusSubresource) {
        return statusSubresource ? ResetFields.of("metadata", "spec") : super.resetFields(false);
    }

    @Override
    public void prepareForCreate(ObjectNode crd) {
        ObjectNode status = crd.putObject("status");
        status.putArray("conditions");
        ObjectNode accepted = status.putObject("acceptedNames");
        accepted.put("plural", "");
        accepted.put("kind", "");
        status.putArray("storedVersions");
        setDefaults(crd);
        addCleanupFinalizer(crd);
        addStoredVersion(crd);
    }

    /**
     * A CRD whose finalizer was removed (an update without it) still has its instances deleted: as upstream's CRD
     * storage does, the first delete adds the cleanup finalizer, so the controller deletes them before the CRD goes.
     */
    @Override
    public boolean addFinalizersOnDelete(ObjectNode crd) {
        return !Crd.isDeleting(crd) && addCleanupFinalizer(crd);
    }

    /** Adds the cleanup finalizer if missing; true if added. */
    private static boolean addCleanupFinalizer(ObjectNode crd) {
        ArrayNode finalizers = crd.withObject("/metadata").withArray("finalizers");
        for (JsonNode f : finalizers) {
            if (Crd.FINALIZER.equals(f.asString(""))) {
                return false;
            }
        }
        finalizers.add(Crd.FINALIZER);
        return true;
    }

    @Override
    public void prepareForUpdate(ObjectNode crd, ObjectNode old) {
        super.prepareForUpdate(crd, old);
        setDefaults(crd);
        addStoredVersion(crd);
    }

    private static void setDefaults(ObjectNode crd) {
        ObjectNode spec = crd.withObject("/spec");
        ObjectNode names = spec.withObject("/names");
        String kind = names.path("kind").asString("");
        if (names.path("singular").asString("").isEmpty() && !kind.isEmpty()) {
            names.put("singular", kind.toLowerCase(Locale.ROOT));
        }
        if (names.path("listKind").asString("").isEmpty() && !kind.isEmpty()) {
            names.put("listKind", kind + "List");
        }
        if (!spec.path("conversion").isObject()) {
            spec.putObject("conversion").put("strategy", "None");
        }
    }

    private static void addStoredVersion(ObjectNode crd) {
        String storage = Crd.of(crd).storageVersion();
        if (storage.isEmpty()) {
            return;
        }
        ArrayNode stored = crd.withObject("/status").withArray("storedVersions");
        for (JsonNode v : stored) {
            if (v.asString("").equals(storage)) {
                return;
            }
        }
        stored.add(storage);
    }

    @Override
    public List<FieldError> validateCreate(ObjectNode crd) {
        return validate(crd);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode crd, ObjectNode old) {
        List<FieldError> errors = validate(crd, old);
        String scope = crd.path("spec").path("scope").asString("");
        if (!scope.equals(old.path("spec").path("scope").asString(""))) {
            errors.add(FieldError.invalid("spec.scope", scope, "field is immutable"));
        }
        String group = crd.path("spec").path("group").asString("");
        if (!group.equals(old.path("spec").path("group").asString(""))) {
            errors.add(FieldError.invalid("spec.group", group, "field is immutable"));
        }
        return errors;
    }

    static List<FieldError> validate(ObjectNode crd) {
        return validate(crd, null);
    }

    /** The CRD's errors; {@code old} is the stored CRD on update, null on create. */
    static List<FieldError> validate(ObjectNode crd, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        dnsLabel(names.path("plural").asString(""), "spec.names.plural", errors);
        String singular = names.path("singular").asString("");
        if (!singular.isEmpty()) {
            dnsLabel(singular, "spec.names.singular", errors);
        }
        kind(names.path("kind").asString(""), "spec.names.kind", errors);
        kind(names.path("listKind").asString(""), "spec.names.listKind", errors);
        List<String> shortNames = SchemaValidation.strings(names.path("shortNames"));
        for (int i = 0; i < shortNames.size(); i++) {
            dnsLabel(shortNames.get(i), "spec.names.shortNames[" + i + "]", errors);
        }
        JsonNode versions = spec.path("versions");
        int storage = 0;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < versions.size(); i++) {
            JsonNode version = versions.get(i);
            String path = "spec.versions[" + i + "]";
            String name = version.path("name").asString("");
            if (name.isEmpty()) {
                errors.add(FieldError.required(path + ".name", ""));
            } else {
                for (String msg : NameValidation.isDns1035Label(name)) {
                    errors.add(FieldError.invalid(path + ".name", name, msg));
                }
                if (!seen.add(name)) {
                    errors.add(FieldError.invalid("spec.versions", name, "must contain unique version names"));
                }
            }
            if (version.path("storage").asBoolean(false)) {
                storage++;
            }
            int schemaErrors = errors.size();
            JsonNode schema = version.path("schema").get("openAPIV3Schema");
            StructuralSchemaCheck.check(schema, path + ".schema.openAPIV3Schema", errors);
            if (errors.size() == schemaErrors && !schemaUnchanged(old, name, schema)) {
                // as upstream, rules are compiled only against a valid structural schema: the types come from it
                errors.addAll(SchemaRules.check(schema, path + ".schema.openAPIV3Schema"));
            }
            printerColumns(version.path("additionalPrinterColumns"), path + ".additionalPrinterColumns", errors);
            JsonNode scale = version.path("subresources").path("scale");
            if (scale.isObject()) {
                scalePath(scale, "specReplicasPath", ".spec.", true, path, errors);
                scalePath(scale, "statusReplicasPath", ".status.", true, path, errors);
                scalePath(scale, "labelSelectorPath", ".", false, path, errors);
            }
        }
        if (versions.size() > 0 && storage != 1) {
            errors.add(FieldError.invalid("spec.versions", FieldError.OMIT,
                    "must have exactly one version marked as storage version"));
        }
        if (versions.size() > 0 && !versionsServe(versions)) {
            errors.add(FieldError.invalid("spec.versions", FieldError.OMIT, "must have at least one version served"));
        }
        return errors;
    }

    /**
     * Whether the stored CRD has this version with the same schema: its rules were checked when it was written, and
     * the controller's status writes need not compile them again.
     */
    private static boolean schemaUnchanged(ObjectNode old, String version, JsonNode schema) {
        if (old == null || schema == null) {
            return false;
        }
        for (JsonNode v : old.path("spec").path("versions")) {
            if (v.path("name").asString("").equals(version)) {
                return schema.equals(v.path("schema").get("openAPIV3Schema"));
            }
        }
        return false;
    }

    private static boolean versionsServe(JsonNode versions) {
        for (JsonNode v : versions) {
            if (v.path("served").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private static void printerColumns(JsonNode columns, String path, List<FieldError> errors) {
        Set<String> types = Set.of("integer", "number", "string", "boolean", "date");
        for (int i = 0; i < columns.size(); i++) {
            JsonNode column = columns.get(i);
            String p = path + "[" + i + "]";
            if (column.path("name").asString("").isEmpty()) {
                errors.add(FieldError.required(p + ".name", ""));
            }
            String type = column.path("type").asString("");
            if (type.isEmpty()) {
                errors.add(FieldError.required(p + ".type", ""));
            } else if (!types.contains(type)) {
                errors.add(FieldError.notSupported(p + ".type", type, List.of("integer", "number", "string",
                        "boolean", "date")));
            }
            String jsonPath = column.path("jsonPath").asString("");
            if (jsonPath.isEmpty()) {
                errors.add(FieldError.required(p + ".jsonPath", ""));
            } else if (!SimpleJsonPath.isValid(jsonPath)) {
                errors.add(FieldError.invalid(p + ".jsonPath", jsonPath, "must be a simple json path"));
            }
        }
    }

    private static void scalePath(JsonNode scale, String field, String prefix, boolean required, String path,
                                  List<FieldError> errors) {
        String value = scale.path(field).asString("");
        String p = path + ".subresources.scale." + field;
        if (value.isEmpty()) {
            if (required) {
                errors.add(FieldError.required(p, ""));
            }
            return;
        }
        if (!value.startsWith(prefix) || !SimpleJsonPath.isValid(value)) {
            errors.add(FieldError.invalid(p, value, "should be a json path under " + prefix));
        }
    }

    private static void dnsLabel(String value, String path, List<FieldError> errors) {
        if (value.isEmpty()) {
            errors.add(FieldError.required(path, ""));
            return;
        }
        for (String msg : NameValidation.isDns1123Label(value)) {
            errors.add(FieldError.invalid(path, value, msg));
        }
    }

    private static void kind(String value, String path, List<FieldError> errors) {
        if (value.isEmpty()) {
            errors.add(FieldError.required(path, ""));
        } else if (!value.matches("[A-Za-z]([-A-Za-z0-9]*[A-Za-z0-9])?")) {
            errors.add(FieldError.invalid(path, value, "may have mixed case, but should otherwise match: "
                    + "[a-z]([-a-z0-9]*[a-z0-9])?"));
        }
    }
}

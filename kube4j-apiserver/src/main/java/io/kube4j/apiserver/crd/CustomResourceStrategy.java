package io.kube4j.apiserver.crd;

import io.kube4j.api.printers.TablePrinter;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.api.validation.FieldError;
import io.kube4j.api.validation.Validators;
import io.kube4j.apiserver.crd.celrules.RuleCache;
import io.kube4j.apiserver.crd.celrules.RuleValidator;
import io.kube4j.apiserver.crd.celrules.SchemaRules;
import io.kube4j.apiserver.registry.ResourceStrategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The strategy of one served version of a custom resource: pruning and defaults from the version's
 * structural schema on every write, schema validation and the schema's CEL rules (x-kubernetes-validations,
 * compiled once per schema), the status/spec split when the status subresource is on, the printer columns and
 * the scale subresource's replica paths.
 */
public final class CustomResourceStrategy implements ResourceStrategy {

    private static final RuleValidator RULES = new RuleValidator();

    private final ResourceType type;
    private final CrdVersion version;
    private final PrinterColumns printer;
    private final SchemaRules rules;

    public CustomResourceStrategy(ResourceType type, CrdVersion version) {
        this.type = type;
        this.version = version;
        this.printer = new PrinterColumns(version.printerColumns());
        this.rules = RuleCache.forSchema(version.schema());
    }

    public ResourceType type() {
        return type;
    }

    /** The served version: its schema is what OpenAPI publishes for the resource. */
    public CrdVersion version() {
        return version;
    }

    @Override
    public boolean hasStatus() {
        return version.hasStatus();
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        if (hasStatus()) {
            obj.remove("status");
        }
        normalize(obj);
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        ResourceStrategy.super.prepareForUpdate(obj, old);
        normalize(obj);
    }

    @Override
    public void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        ResourceStrategy.super.prepareForStatusUpdate(obj, old);
        normalize(obj);
    }

    /** Pruning then defaulting, as upstream's decoding of a custom resource does. */
    void normalize(ObjectNode obj) {
        if (version.schema() != null) {
            SchemaPruning.pruneRoot(version.schema(), obj);
            SchemaDefaults.apply(version.schema(), obj);
        }
    }

    /**
     * Prunes what the version's structural schema does not specify from {@code obj} and returns the paths of the
     * dropped fields, for field validation to refuse (Strict) or report (Warn) them before the write. Fields under
     * {@code x-kubernetes-preserve-unknown-fields} are never unknown.
     */
    public List<String> pruneUnknownFields(ObjectNode obj) {
        if (version.schema() == null) {
            return List.of();
        }
        return SchemaPruning.pruneRootReporting(version.schema(), obj);
    }

    @Override
    public List<FieldError> validateCreate(ObjectNode obj) {
        List<FieldError> errors = new ArrayList<>(Validators.forCustomResource(type.namespaced()).validateCreate(obj));
        errors.addAll(SchemaValidation.validate(version.schema(), obj));
        errors.addAll(validateRules(errors, obj, null));
        return errors;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(Validators.forCustomResource(type.namespaced())
                .validateUpdate(obj, old));
        errors.addAll(SchemaValidation.validate(version.schema(), obj));
        errors.addAll(validateRules(errors, obj, old));
        return errors;
    }

    /**
     * The errors of the schema's CEL rules; as upstream, they do not run over an object with a value of the wrong
     * type (their types come from the schema), which is said instead.
     */
    private List<FieldError> validateRules(List<FieldError> errors, ObjectNode obj, ObjectNode old) {
        if (rules == null) {
            return List.of();
        }
        if (errors.stream().anyMatch(SchemaValidation::isTypeError)) {
            return List.of(RuleValidator.notChecked());
        }
        return RULES.validate(rules, obj, old);
    }

    @Override
    public TablePrinter tablePrinter() {
        return printer;
    }

    @Override
    public boolean supportsStrategicMergePatch() {
        return false;
    }

    @Override
    public ObjectNode toScale(ObjectNode obj) {
        if (!version.hasScale()) {
            return null;
        }
        JsonNode scaleSpec = version.scale();
        ObjectNode scale = JsonNodeFactory.instance.objectNode();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (obj.path("metadata").has(field)) {
                metadata.set(field, obj.path("metadata").get(field).deepCopy());
            }
        }
        scale.putObject("spec").put("replicas",
                SimpleJsonPath.get(obj, scaleSpec.path("specReplicasPath").asString("")).asLong(0));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", SimpleJsonPath.get(obj, scaleSpec.path("statusReplicasPath").asString("")).asLong(0));
        String selectorPath = scaleSpec.path("labelSelectorPath").asString("");
        if (!selectorPath.isEmpty()) {
            JsonNode selector = SimpleJsonPath.get(obj, selectorPath);
            if (selector.isString()) {
                status.put("selector", selector.asString());
            } else if (selector.isObject()) {
                try {
                    status.put("selector", LabelSelector.fromJson(selector).toString());
                } catch (IllegalArgumentException ignored) {
                    // upstream leaves an unparseable selector out
                }
            }
        }
        return scale;
    }

    @Override
    public boolean setScaleReplicas(ObjectNode obj, long replicas) {
        if (!version.hasScale()) {
            return false;
        }
        SimpleJsonPath.set(obj, version.scale().path("specReplicasPath").asString(""),
                JsonNodeFactory.instance.numberNode(replicas));
        return true;
    }
}

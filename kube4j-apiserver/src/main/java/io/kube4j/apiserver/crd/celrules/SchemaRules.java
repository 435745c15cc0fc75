package io.kube4j.apiserver.crd.celrules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.kube4j.api.validation.FieldError;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The compiled {@code x-kubernetes-validations} of one structural schema, as a tree that mirrors the schema's nodes
 * that have rules at or below them. Compiling also checks the rules as upstream's CRD validation does, reporting at
 * {@code <schema path>.x-kubernetes-validations[i].rule} (and {@code .message}, {@code .messageExpression},
 * {@code .reason}, {@code .fieldPath}, {@code .optionalOldSelf}).
 */
public final class SchemaRules {

    private static final List<String> REASONS = List.of("FieldValueDuplicate", "FieldValueForbidden",
            "FieldValueInvalid", "FieldValueRequired");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\n\\r]+");

    final JsonNode schema;
    final List<CompiledRule> rules;
    final Map<String, SchemaRules> properties;
    final SchemaRules additionalProperties;
    final SchemaRules items;
    /** The names of the list-map keys of this node's items, empty unless it is a listType=map list. */
    final Set<String> listMapKeys;

    private SchemaRules(JsonNode schema, List<CompiledRule> rules, Map<String, SchemaRules> properties,
                        SchemaRules additionalProperties, SchemaRules items) {
        this.schema = schema;
        this.rules = rules;
        this.properties = properties;
        this.additionalProperties = additionalProperties;
        this.items = items;
        Set<String> keys = new TreeSet<>();
        if ("map".equals(schema.path("x-kubernetes-list-type").asString(""))) {
            schema.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asString("")));
        }
        this.listMapKeys = Set.copyOf(keys);
    }

    /** Compiles every rule of a version's openAPIV3Schema; null when the schema has none. */
    public static SchemaRules compile(JsonNode root, String path, List<FieldError> errors) {
        if (root == null || !root.isObject()) {
            return null;
        }
        return new Compilation(new SchemaCelTypes(root), errors).node(root, path, null);
    }

    /** The schema's compiled rules, or null if it has none; compile errors are reported when a rule runs. */
    public static SchemaRules compile(JsonNode root) {
        return compile(root, "openAPIV3Schema", new ArrayList<>());
    }

    /** The schema's rules checked as upstream's CRD validation does: the errors, empty if they all compile. */
    public static List<FieldError> check(JsonNode root, String path) {
        List<FieldError> errors = new ArrayList<>();
        compile(root, path, errors);
        return errors;
    }

    private static final class Compilation {
        private final SchemaCelTypes types;
        private final List<FieldError> errors;

        Compilation(SchemaCelTypes types, List<FieldError> errors) {
            this.types = types;
            this.errors = errors;
        }

        /** The node's subtree, or null if no rule sits at or below it. */
        SchemaRules node(JsonNode schema, String path, String uncorrelatable) {
            if (schema == null || !schema.isObject()) {
                return null;
            }
            Map<String, SchemaRules> properties = new LinkedHashMap<>();
            for (var property : schema.path("properties").properties()) {
                SchemaRules child = node(property.getValue(), path + ".properties[" + property.getKey() + "]",
                        uncorrelatable);
                if (child != null) {
                    properties.put(property.getKey(), child);
                }
            }
            SchemaRules additional = node(schema.get("additionalProperties"), path + ".additionalProperties",
                    uncorrelatable);
            String itemsPath = path + ".items";
            boolean mapList = "map".equals(schema.path("x-kubernetes-list-type").asString(""));
            SchemaRules items = node(schema.get("items"), itemsPath,
                    uncorrelatable != null || mapList ? uncorrelatable : itemsPath);
            List<CompiledRule> rules = rules(schema, path, uncorrelatable);
            if (rules.isEmpty() && properties.isEmpty() && additional == null && items == null) {
                return null;
            }
            return new SchemaRules(schema, rules, properties, additional, items);
        }

        private List<CompiledRule> rules(JsonNode schema, String path, String uncorrelatable) {
            JsonNode entries = schema.path("x-kubernetes-validations");
            List<CompiledRule> rules = new ArrayList<>();
            if (!entries.isMissingNode() && !entries.isArray()) {
                errors.add(FieldError.invalid(path + ".x-kubernetes-validations", FieldError.OMIT,
                        "must be a list of validation rules"));
                return rules;
            }
            CelType self = types.type(schema);
            CelCompiler compiler = null;
            CelCompiler optionalCompiler = null;
            for (int i = 0; i < entries.size(); i++) {
                ValidationRule rule = ValidationRule.of(entries.get(i));
                String at = path + ".x-kubernetes-validations[" + i + "]";
                int before = errors.size();
                checkFields(rule, at, schema);
                String fieldPath = "";
                if (!rule.fieldPath().isBlank()) {
                    try {
                        fieldPath = RuleFieldPath.normalize(rule.fieldPath(), schema);
                    } catch (RuleFieldPath.InvalidPathException e) {
                        errors.add(FieldError.invalid(at + ".fieldPath", rule.fieldPath(),
                                "fieldPath must be a valid path: " + e.getMessage()));
                    }
                }
                if (errors.size() > before || rule.rule().isBlank()) {
                    continue;
                }
                CelCompiler c;
                if (rule.optionalOldSelf()) {
                    optionalCompiler = optionalCompiler != null ? optionalCompiler
                            : CelEnvironment.compiler(types, self, true);
                    c = optionalCompiler;
                } else {
                    compiler = compiler != null ? compiler : CelEnvironment.compiler(types, self, false);
                    c = compiler;
                }
                rules.add(compileRule(c, rule, at, fieldPath, uncorrelatable));
            }
            return rules;
        }

        private void checkFields(ValidationRule rule, String at, JsonNode schema) {
            String message = rule.message();
            if (rule.rule().isBlank()) {
                errors.add(FieldError.required(at + ".rule", "rule is not specified"));
            } else if (!message.isEmpty() && message.isBlank()) {
                errors.add(FieldError.invalid(at + ".message", message, "message must be non-empty if specified"));
            } else if (message.length() > 2048) {
                errors.add(FieldError.invalid(at + ".message", message.substring(0, 10) + "...",
                        "message must have a maximum length of 2048 characters"));
            } else if (LINE_BREAKS.matcher(message.strip()).find()) {
                errors.add(FieldError.invalid(at + ".message", message, "message must not contain line breaks"));
            } else if (LINE_BREAKS.matcher(rule.rule().strip()).find() && message.isBlank()) {
                errors.add(FieldError.required(at + ".message",
                        "message must be specified if rule contains line breaks"));
            }
            if (!rule.messageExpression().isEmpty() && rule.messageExpression().isBlank()) {
                errors.add(FieldError.required(at + ".messageExpression",
                        "messageExpression must be non-empty if specified"));
            }
            if (rule.reason() != null && !REASONS.contains(rule.reason())) {
                errors.add(FieldError.notSupported(at + ".reason", rule.reason(), REASONS));
            }
            if (!rule.fieldPath().isEmpty() && rule.fieldPath().isBlank()) {
                errors.add(FieldError.invalid(at + ".fieldPath", rule.fieldPath(),
                        "fieldPath must be non-empty if specified"));
            }
            if (LINE_BREAKS.matcher(rule.fieldPath()).find()) {
                errors.add(FieldError.invalid(at + ".fieldPath", rule.fieldPath(),
                        "fieldPath must not contain line breaks"));
            }
        }

        private CompiledRule compileRule(CelCompiler compiler, ValidationRule rule, String at, String fieldPath,
                                         String uncorrelatable) {
            CelAbstractSyntaxTree ast;
            CelRuntime.Program program;
            try {
                CelValidationResult result = compiler.compile(rule.rule());
                if (result.hasError()) {
                    return failed(rule, at + ".rule", rule.rule(), "compilation failed: " + CompileErrors.of(result));
                }
                ast = result.getAst();
                if (!SimpleType.BOOL.equals(ast.getResultType())) {
                    return failed(rule, at + ".rule", rule.rule(), "cel expression must evaluate to a bool");
                }
                program = CelEnvironment.RUNTIME.createProgram(ast);
            } catch (CelValidationException | CelEvaluationException e) {
                return failed(rule, at + ".rule", rule.rule(),
                        "compilation failed: " + CompileErrors.normalise(e.getMessage()));
            }
            boolean usesOldSelf = ast.getReferenceMap().values().stream().anyMatch(r -> r.name().equals("oldSelf"));
            if (usesOldSelf && uncorrelatable != null) {
                errors.add(FieldError.invalid(at + ".rule", rule.rule(),
                        "oldSelf cannot be used on the uncorrelatable portion of the schema within " + uncorrelatable));
            }
            if (rule.optionalOldSelf() && !usesOldSelf) {
                errors.add(FieldError.invalid(at + ".optionalOldSelf", true,
                        "may not be set if rule does not use oldSelf"));
            }
            CelRuntime.Program messageProgram = null;
            if (!rule.messageExpression().isBlank()) {
                messageProgram = compileMessage(compiler, rule, at);
            }
            return new CompiledRule(rule, program, null, messageProgram, usesOldSelf, fieldPath);
        }

        private CelRuntime.Program compileMessage(CelCompiler compiler, ValidationRule rule, String at) {
            String field = at + ".messageExpression";
            try {
                CelValidationResult result = compiler.compile(rule.messageExpression());
                if (result.hasError()) {
                    errors.add(FieldError.invalid(field, rule.messageExpression(),
                            "messageExpression compilation failed: " + CompileErrors.of(result)));
                    return null;
                }
                CelAbstractSyntaxTree ast = result.getAst();
                if (!SimpleType.STRING.equals(ast.getResultType())) {
                    errors.add(FieldError.invalid(field, rule.messageExpression(),
                            "messageExpression must evaluate to a string"));
                    return null;
                }
                return CelEnvironment.RUNTIME.createProgram(ast);
            } catch (CelValidationException | CelEvaluationException e) {
                errors.add(FieldError.invalid(field, rule.messageExpression(),
                        "messageExpression compilation failed: " + CompileErrors.normalise(e.getMessage())));
                return null;
            }
        }

        private CompiledRule failed(ValidationRule rule, String field, String value, String message) {
            errors.add(FieldError.invalid(field, value, message));
            return new CompiledRule(rule, null, message, null, false, "");
        }
    }
}

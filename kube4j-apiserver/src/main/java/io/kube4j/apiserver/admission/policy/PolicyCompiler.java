package io.kube4j.apiserver.admission.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelEvaluationException;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.crd.celrules.AuthzLibrary;
import io.kube4j.apiserver.crd.celrules.CelEnvironment;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a ValidatingAdmissionPolicy's CEL expressions in the environment upstream gives them: kube4j's CRD rule
 * environment (standard library, strings, sets, optionals, the Kubernetes list, regex, URL and quantity libraries)
 * with {@code object}, {@code oldObject}, {@code request}, {@code namespaceObject}, {@code variables} and, when the
 * policy has a paramKind, {@code params}, all dyn as upstream types values it has no schema for, and upstream's
 * {@code authorizer} and {@code authorizer.requestResource} ({@link AuthzLibrary}).
 */
final class PolicyCompiler {

    private static final CelType DYN = SimpleType.DYN;
    private static final CelCompiler WITH_PARAMS = CelEnvironment.compiler(variables(true));
    private static final CelCompiler WITHOUT_PARAMS = CelEnvironment.compiler(variables(false));

    private PolicyCompiler() {
    }

    private static Map<String, CelType> variables(boolean params) {
        Map<String, CelType> variables = new LinkedHashMap<>();
        variables.put("object", DYN);
        variables.put("oldObject", DYN);
        variables.put("request", DYN);
        variables.put("namespaceObject", DYN);
        variables.put("variables", MapType.create(SimpleType.STRING, DYN));
        variables.putAll(AuthzLibrary.variables());
        if (params) {
            variables.put("params", DYN);
        }
        return variables;
    }

    /** A list of {@code {name, expression}} entries under {@code spec.field} (matchConditions, variables), compiled. */
    private static List<CompiledPolicy.Named> named(CelCompiler compiler, JsonNode spec, String field, Result result,
                                                    List<FieldError> errors) {
        List<CompiledPolicy.Named> compiled = new ArrayList<>();
        JsonNode nodes = spec.path(field);
        for (int i = 0; i < nodes.size(); i++) {
            compiled.add(new CompiledPolicy.Named(Json.text(nodes.get(i), "name"), compile(compiler,
                    text(nodes.get(i), "expression"), "spec." + field + "[" + i + "].expression", result, errors)));
        }
        return compiled;
    }

    /** The policy's expressions compiled; errors are reported at upstream's paths under {@code spec}. */
    static CompiledPolicy compile(ObjectNode policy) {
        JsonNode spec = policy.path("spec");
        boolean hasParams = spec.path("paramKind").isObject();
        CelCompiler compiler = hasParams ? WITH_PARAMS : WITHOUT_PARAMS;
        List<FieldError> errors = new ArrayList<>();
        List<CompiledPolicy.Named> conditions = named(compiler, spec, "matchConditions", Result.BOOL, errors);
        List<CompiledPolicy.Named> variables = named(compiler, spec, "variables", Result.ANY, errors);
        List<CompiledPolicy.Validation> validations = new ArrayList<>();
        JsonNode validationNodes = spec.path("validations");
        for (int i = 0; i < validationNodes.size(); i++) {
            JsonNode validation = validationNodes.get(i);
            String path = "spec.validations[" + i + "]";
            CompiledExpression expression = compile(compiler, text(validation, "expression"), path + ".expression",
                    Result.BOOL, errors);
            String messageExpression = text(validation, "messageExpression");
            CompiledExpression message = messageExpression.isBlank() ? null
                    : compile(compiler, messageExpression, path + ".messageExpression", Result.STRING, errors);
            validations.add(new CompiledPolicy.Validation(expression, message, text(validation, "message").strip(),
                    Json.text(validation, "reason")));
        }
        List<CompiledPolicy.AuditAnnotation> auditAnnotations = new ArrayList<>();
        JsonNode annotations = spec.path("auditAnnotations");
        for (int i = 0; i < annotations.size(); i++) {
            auditAnnotations.add(new CompiledPolicy.AuditAnnotation(text(annotations.get(i), "key"),
                    compile(compiler, text(annotations.get(i), "valueExpression"),
                            "spec.auditAnnotations[" + i + "].valueExpression", Result.STRING_OR_NULL, errors)));
        }
        return new CompiledPolicy(conditions, variables, validations, auditAnnotations, hasParams,
                List.copyOf(errors));
    }

    /** The result types an expression may have; dyn is always accepted (checked at run time). */
    enum Result {
        BOOL("must evaluate to bool"), STRING("must evaluate to string"),
        STRING_OR_NULL("must evaluate to one of [string null_type]"), ANY(null);

        final String mismatch;

        Result(String mismatch) {
            this.mismatch = mismatch;
        }

        boolean accepts(CelType type) {
            return switch (this) {
                case ANY -> true;
                case BOOL -> type.equals(SimpleType.BOOL) || type.equals(DYN);
                case STRING -> type.equals(SimpleType.STRING) || type.equals(DYN);
                case STRING_OR_NULL -> type.equals(SimpleType.STRING) || type.equals(SimpleType.NULL_TYPE)
                        || type.equals(DYN);
            };
        }
    }

    static CompiledExpression compile(CelCompiler compiler, String expression, String path, Result result,
                                              List<FieldError> errors) {
        if (expression.isBlank()) {
            // the structural validation already reports it as required
            return new CompiledExpression(expression, null, "expression is not specified");
        }
        String error;
        try {
            CelValidationResult compiled = compiler.compile(expression);
            if (compiled.hasError()) {
                error = "compilation failed: " + compiled.getErrorString();
            } else {
                CelAbstractSyntaxTree ast = compiled.getAst();
                if (!result.accepts(ast.getResultType())) {
                    error = result.mismatch;
                } else {
                    return new CompiledExpression(expression, CelEnvironment.RUNTIME.createProgram(ast), null);
                }
            }
        } catch (CelValidationException | CelEvaluationException e) {
            error = "compilation failed: " + e.getMessage();
        }
        errors.add(FieldError.invalid(path, expression, error));
        return new CompiledExpression(expression, null, error);
    }

    private static String text(JsonNode node, String field) {
        String value = Json.text(node, field);
        return value == null ? "" : value;
    }
}

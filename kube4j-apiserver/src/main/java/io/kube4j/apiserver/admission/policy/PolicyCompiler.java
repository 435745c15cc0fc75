package io.kube4j.apiserver.admission.policy;

import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.admission.cel.CompiledExpression;
import io.kube4j.apiserver.admission.cel.ExpressionCompiler;
import io.kube4j.apiserver.admission.cel.ExpressionCompiler.Result;
import io.kube4j.apiserver.admission.cel.NamedExpression;
import io.kube4j.apiserver.crd.celrules.AuthzLibrary;
import io.kube4j.apiserver.crd.celrules.CelEnvironment;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
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
        Map<String, CelType> variables = ExpressionCompiler.requestVariables();
        variables.put("namespaceObject", DYN);
        variables.put("variables", MapType.create(SimpleType.STRING, DYN));
        if (params) {
            variables.put("params", DYN);
        }
        return variables;
    }

    /** A list of {@code {name, expression}} entries under {@code spec.field} (matchConditions, variables), compiled. */
    private static List<NamedExpression> named(CelCompiler compiler, JsonNode spec, String field, Result result,
                                                    List<FieldError> errors) {
        List<NamedExpression> compiled = new ArrayList<>();
        JsonNode nodes = spec.path(field);
        for (int i = 0; i < nodes.size(); i++) {
            compiled.add(new NamedExpression(Json.text(nodes.get(i), "name"), ExpressionCompiler.compile(compiler,
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
        List<NamedExpression> conditions = named(compiler, spec, "matchConditions", Result.BOOL, errors);
        List<NamedExpression> variables = named(compiler, spec, "variables", Result.ANY, errors);
        List<CompiledPolicy.Validation> validations = new ArrayList<>();
        JsonNode validationNodes = spec.path("validations");
        for (int i = 0; i < validationNodes.size(); i++) {
            JsonNode validation = validationNodes.get(i);
            String path = "spec.validations[" + i + "]";
            CompiledExpression expression = ExpressionCompiler.compile(compiler, text(validation, "expression"),
                    path + ".expression", Result.BOOL, errors);
            String messageExpression = text(validation, "messageExpression");
            CompiledExpression message = messageExpression.isBlank() ? null
                    : ExpressionCompiler.compile(compiler, messageExpression, path + ".messageExpression",
                            Result.STRING, errors);
            validations.add(new CompiledPolicy.Validation(expression, message, text(validation, "message").strip(),
                    Json.text(validation, "reason")));
        }
        List<CompiledPolicy.AuditAnnotation> auditAnnotations = new ArrayList<>();
        JsonNode annotations = spec.path("auditAnnotations");
        for (int i = 0; i < annotations.size(); i++) {
            auditAnnotations.add(new CompiledPolicy.AuditAnnotation(text(annotations.get(i), "key"),
                    ExpressionCompiler.compile(compiler, text(annotations.get(i), "valueExpression"),
                            "spec.auditAnnotations[" + i + "].valueExpression", Result.STRING_OR_NULL, errors)));
        }
        return new CompiledPolicy(conditions, variables, validations, auditAnnotations, hasParams,
                List.copyOf(errors));
    }

    private static String text(JsonNode node, String field) {
        String value = Json.text(node, field);
        return value == null ? "" : value;
    }
}

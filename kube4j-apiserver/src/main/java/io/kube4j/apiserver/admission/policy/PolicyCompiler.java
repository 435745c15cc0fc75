package io.kube4j.apiserver.admission.policy;

import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.admission.cel.AdmissionTypes;
import io.kube4j.apiserver.admission.cel.CompiledExpression;
import io.kube4j.apiserver.admission.cel.ExpressionCompiler;
import io.kube4j.apiserver.admission.cel.ExpressionCompiler.Result;
import io.kube4j.apiserver.admission.cel.NamedExpression;
import io.kube4j.apiserver.admission.cel.VariableComposition;
import io.kube4j.apiserver.crd.celrules.CelEnvironment;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles a ValidatingAdmissionPolicy's CEL expressions in the environments upstream's validation gives them: kube4j's
 * CRD rule environment (standard library, strings, sets, optionals, the Kubernetes list, regex, URL and quantity
 * libraries) with {@link ExpressionCompiler#requestVariables the request's variables} ({@code request} and
 * {@code namespaceObject} typed, so a field they do not have is refused) and, when the policy has a paramKind,
 * {@code params} (dyn). As upstream: matchConditions are compiled without {@code variables}; when the policy has
 * variables they are compiled in order ({@link VariableComposition}) and the validations and audit annotations read
 * them, typed, as {@code variables} (a policy without any has no {@code variables}); messageExpressions have no
 * {@code authorizer}.
 */
final class PolicyCompiler {

    private static final AdmissionTypes NO_VARIABLES = new AdmissionTypes(Map.of());
    /** Upstream's stateless compilers, by params and authorizer: a policy without variables needs no other. */
    private static final Map<List<Boolean>, CelCompiler> STATELESS = Map.of(
            List.of(false, false), compiler(NO_VARIABLES, false, false, false),
            List.of(false, true), compiler(NO_VARIABLES, false, true, false),
            List.of(true, false), compiler(NO_VARIABLES, true, false, false),
            List.of(true, true), compiler(NO_VARIABLES, true, true, false));

    private PolicyCompiler() {
    }

    private static CelCompiler compiler(AdmissionTypes types, boolean params, boolean authorizer, boolean variables) {
        Map<String, CelType> declared = ExpressionCompiler.requestVariables(types, authorizer);
        if (variables) {
            declared.put("variables", types.variables());
        }
        if (params) {
            declared.put("params", SimpleType.DYN);
        }
        return CelEnvironment.compiler(types, declared);
    }

    /** Entry {@code i} of a list of {@code {name, expression}} entries under {@code spec.field}, compiled. */
    private static NamedExpression named(CelCompiler compiler, JsonNode spec, String field, int i, Result result,
                                         List<FieldError> errors) {
        JsonNode node = spec.path(field).get(i);
        return new NamedExpression(Json.text(node, "name"), ExpressionCompiler.compile(compiler,
                text(node, "expression"), "spec." + field + "[" + i + "].expression", result, errors));
    }

    /** The policy's expressions compiled; errors are reported at upstream's paths under {@code spec}. */
    static CompiledPolicy compile(ObjectNode policy) {
        JsonNode spec = policy.path("spec");
        boolean hasParams = spec.path("paramKind").isObject();
        List<FieldError> errors = new ArrayList<>();
        CelCompiler stateless = STATELESS.get(List.of(hasParams, true));
        List<NamedExpression> conditions = new ArrayList<>();
        for (int i = 0; i < spec.path("matchConditions").size(); i++) {
            conditions.add(named(stateless, spec, "matchConditions", i, Result.BOOL, errors));
        }
        List<NamedExpression> variables = new ArrayList<>();
        CelCompiler compiler = stateless;
        CelCompiler messages = STATELESS.get(List.of(hasParams, false));
        if (!spec.path("variables").isEmpty()) {
            AdmissionTypes types = VariableComposition.compose(spec.path("variables"),
                    t -> compiler(t, hasParams, true, true), (c, i, variable) -> {
                        NamedExpression compiled = named(c, spec, "variables", i, Result.ANY, errors);
                        variables.add(compiled);
                        return compiled.expression().type();
                    });
            compiler = compiler(types, hasParams, true, true);
            messages = compiler(types, hasParams, false, true);
        }
        List<CompiledPolicy.Validation> validations = new ArrayList<>();
        JsonNode validationNodes = spec.path("validations");
        for (int i = 0; i < validationNodes.size(); i++) {
            JsonNode validation = validationNodes.get(i);
            String path = "spec.validations[" + i + "]";
            CompiledExpression expression = ExpressionCompiler.compile(compiler, text(validation, "expression"),
                    path + ".expression", Result.BOOL, errors);
            String messageExpression = text(validation, "messageExpression");
            CompiledExpression message = messageExpression.isBlank() ? null
                    : ExpressionCompiler.compile(messages, messageExpression, path + ".messageExpression",
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

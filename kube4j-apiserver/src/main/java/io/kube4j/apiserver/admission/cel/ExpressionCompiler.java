package io.kube4j.apiserver.admission.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelEvaluationException;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.crd.celrules.AuthzLibrary;
import io.kube4j.apiserver.crd.celrules.CelEnvironment;
import io.kube4j.apiserver.crd.celrules.CompileErrors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles admission CEL expressions (policies' and webhooks' matchConditions alike) as upstream's
 * {@code plugin/cel} compiler: the expression must compile and give one of the result types its field allows; what
 * does not is reported at the expression's field path in upstream's words.
 */
public final class ExpressionCompiler {

    private ExpressionCompiler() {
    }

    /**
     * The variables upstream declares for every admission expression ({@code plugin/cel}'s createEnvForOpts):
     * {@code object} and {@code oldObject} dyn, as upstream types values it has no schema for, {@code request} and
     * {@code namespaceObject} of upstream's types ({@code types}, which the compiler must be given as its type
     * provider) and, with {@code authorizer}, the authorizer's ({@link AuthzLibrary}); a fresh map the caller may add
     * to.
     */
    public static Map<String, CelType> requestVariables(AdmissionTypes types, boolean authorizer) {
        Map<String, CelType> variables = new LinkedHashMap<>();
        variables.put("object", SimpleType.DYN);
        variables.put("oldObject", SimpleType.DYN);
        variables.put("request", types.request());
        variables.put("namespaceObject", types.namespace());
        if (authorizer) {
            variables.putAll(AuthzLibrary.variables());
        }
        return variables;
    }

    /** The result types an expression may have; dyn is always accepted (checked at run time). */
    public enum Result {
        BOOL("must evaluate to bool"), STRING("must evaluate to string"),
        STRING_OR_NULL("must evaluate to one of [string null_type]"), ANY(null);

        final String mismatch;

        Result(String mismatch) {
            this.mismatch = mismatch;
        }

        boolean accepts(CelType type) {
            return switch (this) {
                case ANY -> true;
                case BOOL -> type.equals(SimpleType.BOOL) || type.equals(SimpleType.DYN);
                case STRING -> type.equals(SimpleType.STRING) || type.equals(SimpleType.DYN);
                case STRING_OR_NULL -> type.equals(SimpleType.STRING) || type.equals(SimpleType.NULL_TYPE)
                        || type.equals(SimpleType.DYN);
            };
        }
    }

    /** {@code expression} compiled with {@code compiler}; an error is also added to {@code errors} at {@code path}. */
    public static CompiledExpression compile(CelCompiler compiler, String expression, String path, Result result,
                                             List<FieldError> errors) {
        if (expression.isBlank()) {
            // the structural validation already reports it as required
            return new CompiledExpression(expression, null, SimpleType.DYN, "expression is not specified");
        }
        String error;
        try {
            CelValidationResult compiled = compiler.compile(expression);
            if (compiled.hasError()) {
                error = "compilation failed: " + CompileErrors.of(compiled);
            } else {
                CelAbstractSyntaxTree ast = compiled.getAst();
                if (!result.accepts(ast.getResultType())) {
                    error = result.mismatch;
                } else {
                    return new CompiledExpression(expression, CelEnvironment.RUNTIME.createProgram(ast),
                            ast.getResultType(), null);
                }
            }
        } catch (CelValidationException | CelEvaluationException e) {
            error = "compilation failed: " + CompileErrors.normalise(e.getMessage());
        }
        errors.add(FieldError.invalid(path, expression, error));
        return new CompiledExpression(expression, null, SimpleType.DYN, error);
    }
}

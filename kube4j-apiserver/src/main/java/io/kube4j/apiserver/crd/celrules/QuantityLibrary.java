package io.kube4j.apiserver.crd.celrules;

import dev.cel.checker.CelCheckerBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;
import io.kube4j.api.quantity.Quantity;
import io.kube4j.api.quantity.QuantityFormatException;

import java.math.BigDecimal;

/**
 * Kubernetes' CEL quantity library over kube4j-api's {@link Quantity}: {@code quantity(s)}, {@code isQuantity(s)},
 * {@code sign()}, {@code isInteger()}, {@code asInteger()}, {@code asApproximateFloat()}, {@code add}/{@code sub}
 * (of a quantity or an int), {@code isLessThan}, {@code isGreaterThan} and {@code compareTo}.
 */
final class QuantityLibrary implements CelCompilerLibrary, CelRuntimeLibrary {

    static final OpaqueType QUANTITY = OpaqueType.create("kubernetes.Quantity");

    @Override
    public void setCheckerOptions(CelCheckerBuilder checker) {
        checker.addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration("quantity",
                        CelOverloadDecl.newGlobalOverload("string_to_quantity", QUANTITY, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("isQuantity",
                        CelOverloadDecl.newGlobalOverload("is_quantity_string", SimpleType.BOOL, SimpleType.STRING)),
                member("sign", SimpleType.INT), member("isInteger", SimpleType.BOOL),
                member("asInteger", SimpleType.INT), member("asApproximateFloat", SimpleType.DOUBLE),
                CelFunctionDecl.newFunctionDeclaration("add",
                        CelOverloadDecl.newMemberOverload("quantity_add", QUANTITY, QUANTITY, QUANTITY),
                        CelOverloadDecl.newMemberOverload("quantity_add_int", QUANTITY, QUANTITY, SimpleType.INT)),
                CelFunctionDecl.newFunctionDeclaration("sub",
                        CelOverloadDecl.newMemberOverload("quantity_sub", QUANTITY, QUANTITY, QUANTITY),
                        CelOverloadDecl.newMemberOverload("quantity_sub_int", QUANTITY, QUANTITY, SimpleType.INT)),
                binary("isLessThan", SimpleType.BOOL), binary("isGreaterThan", SimpleType.BOOL),
                binary("compareTo", SimpleType.INT));
    }

    private static CelFunctionDecl member(String name, CelType result) {
        return CelFunctionDecl.newFunctionDeclaration(name,
                CelOverloadDecl.newMemberOverload("quantity_" + name, result, QUANTITY));
    }

    private static CelFunctionDecl binary(String name, CelType result) {
        return CelFunctionDecl.newFunctionDeclaration(name,
                CelOverloadDecl.newMemberOverload("quantity_" + name, result, QUANTITY, QUANTITY));
    }

    @Override
    public void setRuntimeOptions(CelRuntimeBuilder runtime) {
        runtime.addFunctionBindings(
                CelFunctionBinding.from("string_to_quantity", String.class, QuantityLibrary::parse),
                CelFunctionBinding.from("is_quantity_string", String.class, s -> parseOrNull(s) != null),
                CelFunctionBinding.from("quantity_sign", Quantity.class, q -> (long) q.signum()),
                CelFunctionBinding.from("quantity_isInteger", Quantity.class, QuantityLibrary::isInteger),
                CelFunctionBinding.from("quantity_asInteger", Quantity.class, QuantityLibrary::asInteger),
                CelFunctionBinding.from("quantity_asApproximateFloat", Quantity.class,
                        q -> q.toBigDecimal().doubleValue()),
                CelFunctionBinding.from("quantity_add", Quantity.class, Quantity.class, Quantity::add),
                CelFunctionBinding.from("quantity_add_int", Quantity.class, Long.class,
                        (q, n) -> q.add(Quantity.of(n, Quantity.Format.DECIMAL_SI))),
                CelFunctionBinding.from("quantity_sub", Quantity.class, Quantity.class, Quantity::subtract),
                CelFunctionBinding.from("quantity_sub_int", Quantity.class, Long.class,
                        (q, n) -> q.subtract(Quantity.of(n, Quantity.Format.DECIMAL_SI))),
                CelFunctionBinding.from("quantity_isLessThan", Quantity.class, Quantity.class,
                        (a, b) -> a.compareTo(b) < 0),
                CelFunctionBinding.from("quantity_isGreaterThan", Quantity.class, Quantity.class,
                        (a, b) -> a.compareTo(b) > 0),
                CelFunctionBinding.from("quantity_compareTo", Quantity.class, Quantity.class,
                        (a, b) -> (long) Integer.signum(a.compareTo(b))));
    }

    private static Quantity parse(String s) throws CelEvaluationException {
        try {
            return Quantity.parse(s);
        } catch (QuantityFormatException e) {
            throw new CelEvaluationException(e.getMessage());
        }
    }

    private static Quantity parseOrNull(String s) {
        try {
            return Quantity.parse(s);
        } catch (QuantityFormatException e) {
            return null;
        }
    }

    private static boolean isInteger(Quantity q) {
        BigDecimal value = q.toBigDecimal();
        return value.stripTrailingZeros().scale() <= 0 && value.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }

    private static long asInteger(Quantity q) throws CelEvaluationException {
        if (!isInteger(q)) {
            throw new CelEvaluationException("cannot convert value to integer");
        }
        return q.toBigDecimal().longValueExact();
    }
}

package io.kube4j.apiserver.crd.celrules;

import dev.cel.checker.CelCheckerBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' CEL list library: {@code isSorted()}, {@code sum()}, {@code min()}, {@code max()},
 * {@code indexOf(x)} and {@code lastIndexOf(x)} on lists of the comparable primitives, with upstream's
 * errors for {@code min}/{@code max} of an empty list and for an integer sum that overflows. Not yet: lists of
 * bytes, durations and timestamps, and {@code sum()} of uints.
 */
final class ListsLibrary implements CelCompilerLibrary, CelRuntimeLibrary {

    /** The element types with an order, by the suffix of their overload ids. */
    private static final Map<String, CelType> COMPARABLE = Map.of("int", SimpleType.INT, "uint", SimpleType.UINT,
            "double", SimpleType.DOUBLE, "string", SimpleType.STRING, "bool", SimpleType.BOOL);
    private static final Map<String, CelType> SUMMABLE = Map.of("int", SimpleType.INT, "double", SimpleType.DOUBLE);

    @Override
    public void setCheckerOptions(CelCheckerBuilder checker) {
        List<CelOverloadDecl> isSorted = new ArrayList<>();
        List<CelOverloadDecl> min = new ArrayList<>();
        List<CelOverloadDecl> max = new ArrayList<>();
        List<CelOverloadDecl> indexOf = new ArrayList<>();
        List<CelOverloadDecl> lastIndexOf = new ArrayList<>();
        List<CelOverloadDecl> sum = new ArrayList<>();
        COMPARABLE.forEach((name, type) -> {
            ListType list = ListType.create(type);
            isSorted.add(CelOverloadDecl.newMemberOverload("list_" + name + "_is_sorted", SimpleType.BOOL, list));
            min.add(CelOverloadDecl.newMemberOverload("list_" + name + "_min", type, list));
            max.add(CelOverloadDecl.newMemberOverload("list_" + name + "_max", type, list));
            indexOf.add(CelOverloadDecl.newMemberOverload("list_" + name + "_index_of", SimpleType.INT, list, type));
            lastIndexOf.add(CelOverloadDecl.newMemberOverload("list_" + name + "_last_index_of", SimpleType.INT,
                    list, type));
        });
        SUMMABLE.forEach((name, type) -> sum.add(CelOverloadDecl.newMemberOverload("list_" + name + "_sum", type,
                ListType.create(type))));
        checker.addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration("isSorted", isSorted),
                CelFunctionDecl.newFunctionDeclaration("min", min),
                CelFunctionDecl.newFunctionDeclaration("max", max),
                CelFunctionDecl.newFunctionDeclaration("indexOf", indexOf),
                CelFunctionDecl.newFunctionDeclaration("lastIndexOf", lastIndexOf),
                CelFunctionDecl.newFunctionDeclaration("sum", sum));
    }

    @Override
    public void setRuntimeOptions(CelRuntimeBuilder runtime) {
        for (String name : COMPARABLE.keySet()) {
            runtime.addFunctionBindings(
                    CelFunctionBinding.from("list_" + name + "_is_sorted", List.class, ListsLibrary::isSorted),
                    CelFunctionBinding.from("list_" + name + "_min", List.class, list -> extreme(list, -1, "min")),
                    CelFunctionBinding.from("list_" + name + "_max", List.class, list -> extreme(list, 1, "max")),
                    CelFunctionBinding.from("list_" + name + "_index_of", List.class, Object.class,
                            (list, x) -> (long) list.indexOf(x)),
                    CelFunctionBinding.from("list_" + name + "_last_index_of", List.class, Object.class,
                            (list, x) -> (long) list.lastIndexOf(x)));
        }
        for (String name : SUMMABLE.keySet()) {
            runtime.addFunctionBindings(CelFunctionBinding.from("list_" + name + "_sum", List.class,
                    list -> sum(list, name)));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    private static boolean isSorted(List<?> list) {
        for (int i = 1; i < list.size(); i++) {
            if (compare(list.get(i - 1), list.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    private static Object extreme(List<?> list, int sign, String function) throws CelEvaluationException {
        if (list.isEmpty()) {
            throw new CelEvaluationException(function + " called on empty list");
        }
        Object best = list.get(0);
        for (Object item : list) {
            if (Integer.signum(compare(item, best)) == sign) {
                best = item;
            }
        }
        return best;
    }

    private static Object sum(List<?> list, String type) throws CelEvaluationException {
        if (type.equals("double")) {
            double total = 0;
            for (Object item : list) {
                total += (Double) item;
            }
            return total;
        }
        long total = 0;
        try {
            for (Object item : list) {
                total = Math.addExact(total, ((Number) item).longValue());
            }
        } catch (ArithmeticException e) {
            throw new CelEvaluationException("integer overflow");
        }
        return total;
    }
}

package io.kube4j.apiserver.admission.cel;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Upstream's variable composition ({@code plugin/cel/composition.go}): a policy's variables are compiled in order,
 * each by a compiler whose {@code variables} struct has a field for every variable before it - none after it, so a
 * variable cannot read a later one (or itself) -, typed as the expression gave, the way upstream's
 * {@code convertCelTypeToDeclType} keeps it: primitive types, and lists and maps of them; anything else (a struct, an
 * optional, an expression that did not compile) dyn.
 */
public final class VariableComposition {

    private static final Set<CelType> KEPT = Set.of(SimpleType.ANY, SimpleType.BOOL, SimpleType.BYTES,
            SimpleType.DOUBLE, SimpleType.DURATION, SimpleType.INT, SimpleType.NULL_TYPE, SimpleType.STRING,
            SimpleType.TIMESTAMP, SimpleType.UINT);

    /** Compiles one variable with the compiler given: its result type, or null when it did not compile. */
    public interface Step {
        CelType compile(CelCompiler compiler, int index, JsonNode variable);
    }

    private VariableComposition() {
    }

    /**
     * Compiles each of {@code variables} ({@code {name, expression}} entries) with the compiler {@code compilerFor}
     * makes of the types of the variables before it; the types of them all, for the expressions that read them.
     */
    public static AdmissionTypes compose(JsonNode variables, Function<AdmissionTypes, CelCompiler> compilerFor,
                                         Step step) {
        Map<String, CelType> types = new LinkedHashMap<>();
        for (int i = 0; i < variables.size(); i++) {
            JsonNode variable = variables.get(i);
            CelType type = step.compile(compilerFor.apply(new AdmissionTypes(types)), i, variable);
            String name = Json.text(variable, "name");
            if (name != null) {
                types.put(name, declared(type));
            }
        }
        return new AdmissionTypes(types);
    }

    /** The type a variable is declared with when its expression gives {@code type} (null: did not compile). */
    static CelType declared(CelType type) {
        if (type instanceof ListType list) {
            return ListType.create(list.hasElemType() ? declared(list.elemType()) : SimpleType.DYN);
        }
        if (type instanceof MapType map) {
            return MapType.create(declared(map.keyType()), declared(map.valueType()));
        }
        return type != null && KEPT.contains(type) ? type : SimpleType.DYN;
    }
}

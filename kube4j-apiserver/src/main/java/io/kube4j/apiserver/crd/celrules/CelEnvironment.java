package io.kube4j.apiserver.crd.celrules;

import dev.cel.common.CelOptions;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OptionalType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

/**
 * The CEL environment of CRD validation rules, built once: the standard library and macros, the strings, sets and
 * optional extensions, and Kubernetes' list, regex, URL and quantity libraries. A rule's compiler adds the schema's types
 * and {@code self}/{@code oldSelf} to it; one runtime serves every rule.
 */
public final class CelEnvironment {

    /** Upstream's celconfig.PerCallLimit: the cost one rule evaluation may spend. */
    public static final long PER_CALL_LIMIT = 1_000_000;
    /**
     * Upstream's celconfig.RuntimeCELCostBudget: the cost all rules of one object (or all expressions of one admission
     * policy over one request) may spend together.
     */
    public static final long RUNTIME_BUDGET = 10_000_000;

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableOptionalSyntax(true)
            // a guard in the runtime itself besides the cost count: no comprehension may run away on its own
            .comprehensionMaxIterations((int) PER_CALL_LIMIT)
            .build();
    private static final ListsLibrary LISTS = new ListsLibrary();
    private static final UrlLibrary URLS = new UrlLibrary();
    private static final QuantityLibrary QUANTITIES = new QuantityLibrary();
    private static final RegexLibrary REGEX = new RegexLibrary();
    private static final AuthzLibrary AUTHZ = new AuthzLibrary();

    private static final CelCompiler BASE = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.sets(OPTIONS), LISTS, URLS,
                    QUANTITIES, REGEX)
            .build();

    /** One runtime for rules and admission expressions: only the latter's compiler declares the authorizer. */
    public static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .addLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.sets(OPTIONS), LISTS, URLS,
                    QUANTITIES, REGEX, AUTHZ)
            .build();

    private CelEnvironment() {
    }

    /**
     * The compiler of the rules at one schema node: {@code self} of the node's type, {@code oldSelf} the same or,
     * for rules with optionalOldSelf, an optional of it.
     */
    static CelCompiler compiler(SchemaCelTypes types, CelType self, boolean optionalOldSelf) {
        return BASE.toCompilerBuilder()
                .setTypeProvider(types)
                .addVar("self", self)
                .addVar("oldSelf", optionalOldSelf ? OptionalType.create(self) : self)
                .build();
    }

    /**
     * The compiler of expressions over {@code variables} and nothing else, of types that name no struct. The
     * authorizer library ({@link AuthzLibrary}) is there for those that declare its variables.
     */
    public static CelCompiler compiler(java.util.Map<String, CelType> variables) {
        dev.cel.compiler.CelCompilerBuilder builder = BASE.toCompilerBuilder().addLibraries(AUTHZ);
        variables.forEach(builder::addVar);
        return builder.build();
    }

    /**
     * {@link #compiler(java.util.Map)} with typed variables: {@code types} names every struct they reach
     * (admission expressions' request, namespaceObject and variables; in type checking object and params too).
     */
    public static CelCompiler compiler(dev.cel.common.types.CelTypeProvider types,
                                       java.util.Map<String, CelType> variables) {
        dev.cel.compiler.CelCompilerBuilder builder = BASE.toCompilerBuilder().addLibraries(AUTHZ)
                .setTypeProvider(types);
        variables.forEach(builder::addVar);
        return builder.build();
    }
}

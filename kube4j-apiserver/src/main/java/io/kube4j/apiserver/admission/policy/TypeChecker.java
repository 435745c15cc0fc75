package io.kube4j.apiserver.admission.policy;

import com.google.common.collect.ImmutableList;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import io.kube4j.apiserver.admission.cel.AdmissionTypes;
import io.kube4j.apiserver.admission.cel.ExpressionCompiler;
import io.kube4j.apiserver.admission.cel.VariableComposition;
import io.kube4j.apiserver.crd.celrules.CelEnvironment;
import io.kube4j.apiserver.crd.celrules.CompileErrors;
import io.kube4j.apiserver.crd.celrules.SchemaCelTypes;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Upstream's ValidatingAdmissionPolicy type checking ({@code plugin/policy/validating/typechecking.go}): the kinds a
 * policy's matchConstraints name exactly (no wildcard group or version, no wildcard or subresource resource; at most
 * {@value #MAX_TYPES_PER_RULE} kinds per rule) that the server serves with a schema, in group, version, kind order;
 * each validation's expression and messageExpression compiled against each of them, with {@code object} and
 * {@code oldObject} of the kind's type, {@code params} of the paramKind's, {@code request} and
 * {@code namespaceObject} of upstream's types and {@code variables} of the types the policy's variables give. An
 * expression that does not compile against some kinds gets one warning naming each such kind with the compiler's
 * error, as upstream formats it. Type checking never changes what the policy does.
 */
final class TypeChecker {

    /** Upstream's maxTypesToCheck: more kinds from one rule are not checked. */
    static final int MAX_TYPES_PER_RULE = 10;

    /** The kind served as a group/version/resource. */
    interface Kinds {
        Optional<String> kindFor(String group, String version, String resource);
    }

    /** A served kind's self-contained schema (references resolved). */
    interface Schemas {
        Optional<ObjectNode> schema(String group, String version, String kind);
    }

    /** One warning: the field of the expression and what was found. */
    record Warning(String fieldRef, String warning) {
    }

    /** A group/version/kind; printed as Go's schema.GroupVersionKind prints itself. */
    record Gvk(String group, String version, String kind) {

        static final Comparator<Gvk> ORDER = Comparator.comparing(Gvk::group).thenComparing(Gvk::version)
                .thenComparing(Gvk::kind);

        @Override
        public String toString() {
            return group + "/" + version + ", Kind=" + kind;
        }
    }

    private final Kinds kinds;
    private final Schemas schemas;

    TypeChecker(Kinds kinds, Schemas schemas) {
        this.kinds = kinds;
        this.schemas = schemas;
    }

    /** The warnings for {@code policy}: none when every expression compiles against every kind checked. */
    List<Warning> check(ObjectNode policy) {
        JsonNode spec = policy.path("spec");
        Map<Gvk, CelCompiler> compilers = new LinkedHashMap<>();
        SchemaCelTypes params = paramTypes(spec.get("paramKind"));
        for (Gvk gvk : typesToCheck(spec.get("matchConstraints"))) {
            schemas.schema(gvk.group(), gvk.version(), gvk.kind()).ifPresent(schema ->
                    compilers.put(gvk, compiler(new SchemaCelTypes(withTypeAndObjectMeta(schema), "#object", false),
                            params, spec)));
        }
        List<Warning> warnings = new ArrayList<>();
        if (compilers.isEmpty()) {
            return warnings;
        }
        JsonNode validations = spec.path("validations");
        for (int i = 0; i < validations.size(); i++) {
            String path = "spec.validations[" + i + "]";
            check(compilers, Json.text(validations.get(i), "expression"), path + ".expression", warnings);
            check(compilers, Json.text(validations.get(i), "messageExpression"), path + ".messageExpression",
                    warnings);
        }
        return warnings;
    }

    /**
     * Adds a warning for {@code expression} (none when null or empty) if it does not compile against some kinds:
     * {@code <gvk>: <errors>} and a newline for each, joined by newlines, as upstream's TypeCheckingResults prints.
     */
    private static void check(Map<Gvk, CelCompiler> compilers, String expression, String fieldRef,
                              List<Warning> warnings) {
        if (expression == null || expression.isEmpty()) {
            return;
        }
        List<String> found = new ArrayList<>();
        compilers.forEach((gvk, compiler) -> {
            String error = error(compiler, expression);
            if (error != null) {
                found.add(gvk + ": " + error + "\n");
            }
        });
        if (!found.isEmpty()) {
            warnings.add(new Warning(fieldRef, String.join("\n", found)));
        }
    }

    /**
     * The compiler's issues for {@code expression} in cel-go's words, or null when it compiles (whatever its result
     * type).
     */
    private static String error(CelCompiler compiler, String expression) {
        try {
            CelValidationResult result = compiler.compile(expression);
            return result.hasError() ? CompileErrors.of(result) : null;
        } catch (RuntimeException e) {
            return CompileErrors.normalise(e.getMessage());
        }
    }

    /**
     * The compiler of one kind: its types for object and oldObject, the params' (dyn when the paramKind has no
     * schema), and the variables typed by compiling each in order ({@link VariableComposition}).
     */
    private static CelCompiler compiler(SchemaCelTypes object, SchemaCelTypes params, JsonNode spec) {
        boolean hasParams = spec.path("paramKind").isObject();
        AdmissionTypes types = VariableComposition.compose(spec.path("variables"),
                t -> compiler(object, params, hasParams, t),
                (compiler, i, variable) -> outputType(compiler, Json.text(variable, "expression")));
        return compiler(object, params, hasParams, types);
    }

    private static CelCompiler compiler(SchemaCelTypes object, SchemaCelTypes params, boolean hasParams,
                                        AdmissionTypes admission) {
        Map<String, CelType> declared = ExpressionCompiler.requestVariables(admission, true);
        declared.put("object", object.root());
        declared.put("oldObject", object.root());
        declared.put("variables", admission.variables());
        if (hasParams) {
            declared.put("params", params == null ? SimpleType.DYN : params.root());
        }
        return CelEnvironment.compiler(new CelTypeProvider.CombinedCelTypeProvider(params == null
                ? ImmutableList.<CelTypeProvider>of(object, admission)
                : ImmutableList.<CelTypeProvider>of(object, params, admission)), declared);
    }

    /** The result type of {@code expression}, or null when it is missing or does not compile. */
    private static CelType outputType(CelCompiler compiler, String expression) {
        if (expression == null) {
            return null;
        }
        try {
            CelValidationResult result = compiler.compile(expression);
            return result.hasError() ? null : result.getAst().getResultType();
        } catch (RuntimeException | dev.cel.common.CelValidationException e) {
            return null;
        }
    }

    /** The types of the paramKind's schema, or null when the policy has none or it has no schema. */
    private SchemaCelTypes paramTypes(JsonNode paramKind) {
        if (paramKind == null || !paramKind.isObject()) {
            return null;
        }
        String apiVersion = Json.text(paramKind, "apiVersion");
        String kind = Json.text(paramKind, "kind");
        if (apiVersion == null || kind == null) {
            return null;
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        return schemas.schema(group, version, kind)
                .map(schema -> new SchemaCelTypes(withTypeAndObjectMeta(schema), "#params", false)).orElse(null);
    }

    /**
     * The kinds to check, as upstream's typesToCheck: from each resourceRule without wildcard groups or versions,
     * every group/version/resource (resources with wildcards or subresources skipped) the server serves, in sorted
     * order, at most {@value #MAX_TYPES_PER_RULE} from one rule (then no further rule is read); sorted by group,
     * version and kind.
     */
    TreeSet<Gvk> typesToCheck(JsonNode matchConstraints) {
        TreeSet<Gvk> found = new TreeSet<>(Gvk.ORDER);
        if (matchConstraints == null) {
            return found;
        }
        for (JsonNode rule : matchConstraints.path("resourceRules")) {
            List<String> groups = exact(rule.path("apiGroups"), "*");
            List<String> versions = exact(rule.path("apiVersions"), "*");
            List<String> resources = new ArrayList<>();
            rule.path("resources").forEach(r -> {
                String resource = r.asString("");
                if (!resource.contains("*") && !resource.contains("/")) {
                    resources.add(resource);
                }
            });
            if (groups.isEmpty() || versions.isEmpty() || resources.isEmpty()) {
                continue;
            }
            groups.sort(null);
            versions.sort(null);
            resources.sort(null);
            int count = 0;
            for (String group : groups) {
                for (String version : versions) {
                    for (String resource : resources) {
                        Optional<String> kind = kinds.kindFor(group, version, resource);
                        if (kind.isEmpty()) {
                            continue;
                        }
                        found.add(new Gvk(group, version, kind.get()));
                        if (++count == MAX_TYPES_PER_RULE) {
                            return found;
                        }
                    }
                }
            }
        }
        return found;
    }

    /** The values of {@code list}, or none at all when any contains {@code wildcard}. */
    private static List<String> exact(JsonNode list, String wildcard) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : list) {
            String text = value.asString("");
            if (text.contains(wildcard)) {
                return new ArrayList<>();
            }
            values.add(text);
        }
        return values;
    }

    /**
     * Upstream's WithTypeAndObjectMeta: a resource root's schema with kind, apiVersion and metadata (name and
     * generateName) when it does not already declare them as a string, a string and an object with those two.
     */
    static ObjectNode withTypeAndObjectMeta(ObjectNode schema) {
        JsonNode properties = schema.path("properties");
        JsonNode metadata = properties.path("metadata");
        if (isType(properties.path("kind"), "string") && isType(properties.path("apiVersion"), "string")
                && isType(metadata, "object") && isType(metadata.path("properties").path("name"), "string")
                && isType(metadata.path("properties").path("generateName"), "string")) {
            return schema;
        }
        ObjectNode copy = schema.deepCopy();
        ObjectNode props = copy.withObject("/properties");
        props.putObject("kind").put("type", "string");
        props.putObject("apiVersion").put("type", "string");
        ObjectNode meta = props.putObject("metadata").put("type", "object");
        ObjectNode metaProps = meta.putObject("properties");
        metaProps.putObject("name").put("type", "string");
        metaProps.putObject("generateName").put("type", "string");
        return copy;
    }

    private static boolean isType(JsonNode schema, String type) {
        return type.equals(schema.path("type").asString(""));
    }
}

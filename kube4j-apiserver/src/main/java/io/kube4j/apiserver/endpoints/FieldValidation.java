package io.kube4j.apiserver.endpoints;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.crd.CustomResourceStrategy;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.registry.GenericRegistry;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The {@code fieldValidation} parameter of create, update and patch: Strict refuses unknown and duplicate fields
 * with a 400 (a JSON, merge or strategic merge patch with upstream's 422, see {@link #checkPatched}; an apply
 * configuration as {@link #checkApplied} says), Warn (the default, as upstream since 1.27) drops them (the last of
 * duplicates wins) and says so in {@code Warning} headers, Ignore drops them silently.
 */
public final class FieldValidation {

    private static final String STRICT_PREFIX = "strict decoding error: ";

    private final String directive;
    private final List<String> warnings = new ArrayList<>();
    private final List<String> duplicates = new ArrayList<>();

    private FieldValidation(String directive) {
        this.directive = directive;
    }

    public static FieldValidation of(ApiRequest request) {
        String value = request.param("fieldValidation");
        if (value == null || value.isEmpty()) {
            return new FieldValidation("Warn");
        }
        return switch (value) {
            case "Strict", "Warn", "Ignore" -> new FieldValidation(value);
            default -> throw StatusException.badRequest("fieldValidation must be one of \"Ignore\", \"Warn\", "
                    + "or \"Strict\"");
        };
    }

    /**
     * Notes the keys the request body gives twice in one object (JSON or YAML bodies; protobuf cannot repeat
     * one); they are reported with the unknown fields by {@link #check}.
     */
    void scanDuplicates(ApiRequest request) {
        if (directive.equals("Ignore")) {
            return;
        }
        String contentType = MediaTypes.bodyType(request.header("content-type"));
        boolean yaml = contentType.equals(MediaTypes.YAML) || contentType.equals("application/x-yaml")
                || contentType.equals("text/yaml") || contentType.equals(MediaTypes.APPLY_PATCH);
        if (yaml || contentType.equals(MediaTypes.JSON) || contentType.equals("*/*")
                || MediaTypes.PATCH_TYPES.contains(contentType)) {
            duplicates.addAll(DuplicateFields.find(request.body(), yaml));
        }
    }

    /**
     * Checks (and prunes) {@code obj} against the schema of its resource: a custom resource's structural schema
     * (and ObjectMeta for its metadata), otherwise the built-in OpenAPI schema of its kind.
     */
    void check(GenericRegistry registry, ObjectNode obj) {
        CustomResourceStrategy custom = custom(registry);
        report(pruneUnknown(custom, obj, inspect(registry.type(), custom, obj)));
    }

    /**
     * One walk of {@code obj} against the built-in schema of its resource: the first value its field's type cannot
     * hold, and its unknown fields, pruned by {@link #pruneUnknown}. A custom resource's metadata alone (its own
     * schema checks the rest).
     */
    private static BuiltinFieldCheck inspect(ResourceType type, CustomResourceStrategy custom, ObjectNode obj) {
        if (custom != null) {
            return BuiltinFieldCheck.ofMetadata(obj);
        }
        return BuiltinFieldCheck.of(type.group(), type.version(), type.kind(), obj);
    }

    /** Removes the fields of {@code obj} its resource's schema does not declare; returns their paths. */
    private static List<String> pruneUnknown(CustomResourceStrategy custom, ObjectNode obj,
                                             BuiltinFieldCheck inspected) {
        List<String> unknown = inspected.prune();
        if (custom != null) {
            unknown.addAll(custom.pruneUnknownFields(obj));
        }
        return unknown;
    }

    /** A custom resource's strategy (its structural schema), or null for a built-in resource. */
    private static CustomResourceStrategy custom(GenericRegistry registry) {
        return registry.strategy() instanceof CustomResourceStrategy custom ? custom : null;
    }

    /**
     * {@link #check(GenericRegistry, ObjectNode)} for the body of a create or an update (PUT), which upstream decodes
     * as a whole: a Strict refusal names the body's kind and version, as upstream's transformDecodeError does
     * ({@code Pod in version "v1" cannot be handled as a Pod: strict decoding error: ...}).
     */
    void checkBody(GenericRegistry registry, ObjectNode body) {
        checkBody(registry.type(), custom(registry), body);
    }

    /**
     * {@link #checkBody(GenericRegistry, ObjectNode)} for a built-in type the API server answers without storing
     * it, hence without a registry (the reviews): checked against the type's built-in schema alone.
     */
    public void checkBody(ResourceType type, ObjectNode body) {
        checkBody(type, null, body);
    }

    private void checkBody(ResourceType type, CustomResourceStrategy custom, ObjectNode body) {
        BuiltinFieldCheck inspected = inspect(type, custom, body);
        // a value its field's type cannot hold fails the decoding itself, whatever the directive
        FieldTypes.Mismatch mismatch = inspected.mismatch();
        if (mismatch != null) {
            throw StatusException.badRequest(DecodeErrors.cannotBeHandled(type, body, mismatch.goMessage()));
        }
        try {
            report(pruneUnknown(custom, body, inspected));
        } catch (StatusException e) {
            if (e.code() != 400 || !String.valueOf(e.getMessage()).startsWith(STRICT_PREFIX)) {
                throw e;
            }
            throw StatusException.badRequest(DecodeErrors.cannotBeHandled(type, body, e.getMessage()));
        }
    }

    /**
     * {@link #check(GenericRegistry, ObjectNode)} for the object a JSON, merge or strategic merge patch produced.
     * Upstream's patch handler (jsonPatcher, applyPatchToObject) lists the patch body's own strict errors first
     * (a JSON patch's as {@code json patch duplicate field "x"}), then the patched object's unknown fields, and a
     * Strict refusal is a 422 Invalid with one cause on field {@code patch} that quotes {@code badValue} - read
     * before the unknown fields are pruned, since upstream quotes them in it.
     */
    void checkPatched(GenericRegistry registry, ObjectNode patched, Supplier<String> badValue, boolean jsonPatch) {
        BuiltinFieldCheck inspected = inspect(registry.type(), custom(registry), patched);
        // upstream decodes the patched object: a value of the wrong type is a 422 on "patch", whatever the directive
        FieldTypes.Mismatch mismatch = inspected.mismatch();
        if (mismatch != null) {
            FieldError invalid = FieldError.invalid("patch", badValue.get(), mismatch.goMessage());
            throw StatusException.invalid("", "", "", List.of(new StatusCause(invalid.type().reason(), invalid.body(),
                    invalid.field())));
        }
        String value = directive.equals("Strict") ? badValue.get() : null;
        List<String> unknown = pruneUnknown(custom(registry), patched, inspected);
        if (directive.equals("Ignore")) {
            return;
        }
        List<String> messages = new ArrayList<>(duplicates.stream().map(d -> jsonPatch ? "json patch " + d : d)
                .toList());
        unknown.forEach(f -> messages.add("unknown field \"" + f + "\""));
        if (messages.isEmpty()) {
            return;
        }
        if (value == null) {
            warnings.addAll(messages);
            return;
        }
        FieldError invalid = FieldError.invalid("patch", value, STRICT_PREFIX + String.join(", ", messages));
        throw StatusException.invalid("", "", "", List.of(new StatusCause(invalid.type().reason(), invalid.body(),
                invalid.field())));
    }

    /**
     * Checks (and prunes) a server-side apply configuration as upstream does. Its unknown fields are refused
     * whatever the directive: upstream's field manager cannot type the configuration ({@code failed to create
     * typed patch object (ns/name; group/version, Kind=K): .spec.foo: field not declared in schema}); upstream
     * answers that with a 500, answered here with a 400 since the fault is the client's. Only then are its
     * duplicate keys refused (Strict, as upstream's strict YAML decoding words it) or warned about (Warn).
     */
    void checkApplied(GenericRegistry registry, ObjectNode applied) {
        BuiltinFieldCheck inspected = inspect(registry.type(), custom(registry), applied);
        List<String> unknown = pruneUnknown(custom(registry), applied, inspected);
        FieldTypes.Mismatch mismatch = unknown.isEmpty() ? inspected.mismatch() : null;
        if (!unknown.isEmpty() || mismatch != null) {
            // structured-merge-diff's words for a value of the wrong type
            List<String> errors = mismatch != null ? List.of("." + mismatch.path() + ": expected " + mismatch.expected()
                    + ", got " + mismatch.got()) : unknown.stream().map(f -> "." + f + ": field not declared in schema")
                    .toList();
            String apiVersion = applied.path("apiVersion").asString("");
            throw StatusException.badRequest("failed to create typed patch object ("
                    + applied.path("metadata").path("namespace").asString("") + "/"
                    + applied.path("metadata").path("name").asString("") + "; "
                    + (apiVersion.contains("/") ? apiVersion : "/" + apiVersion) + ", Kind="
                    + applied.path("kind").asString("") + "): "
                    + (errors.size() == 1 ? errors.get(0) : "errors:\n  " + String.join("\n  ", errors)));
        }
        if (directive.equals("Ignore") || duplicates.isEmpty()) {
            return;
        }
        if (directive.equals("Strict")) {
            throw StatusException.badRequest("error strict decoding YAML: error converting YAML to JSON: yaml: "
                    + "unmarshal errors:\n  " + String.join("\n  ", duplicates));
        }
        warnings.addAll(duplicates);
    }

    private void report(List<String> unknown) {
        if (directive.equals("Ignore") || (unknown.isEmpty() && duplicates.isEmpty())) {
            return;
        }
        List<String> messages = new ArrayList<>(unknown.stream().map(f -> "unknown field \"" + f + "\"").toList());
        messages.addAll(duplicates);
        if (directive.equals("Strict")) {
            throw StatusException.badRequest(STRICT_PREFIX + String.join(", ", messages));
        }
        warnings.addAll(messages);
    }

    /** Warnings of the write's admission (admission policies' Warn action, webhooks), sent with these. */
    void addWarnings(List<String> admissionWarnings) {
        warnings.addAll(admissionWarnings);
    }

    /** The {@code Warning} header to answer with, if any. */
    public Map<String, String> headers() {
        if (warnings.isEmpty()) {
            return Map.of();
        }
        return Map.of("Warning", warnings.stream().distinct()
                .map(m -> "299 - \"" + m.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ")));
    }
}

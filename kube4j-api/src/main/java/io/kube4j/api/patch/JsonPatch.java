package io.kube4j.api.patch;

import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.EnumSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** RFC 6902 JSON Patch ({@code application/json-patch+json}), applied with fabric8's zjsonpatch. */
public final class JsonPatch {

    /** Upstream's cap on the number of operations in one JSON patch (maxJSONPatchOperations). */
    public static final int MAX_OPERATIONS = 10000;

    private static final Set<String> OPERATIONS = Set.of("add", "remove", "replace", "move", "copy", "test");

    // Upstream (evanphx/json-patch) refuses to remove a member that is not there; zjsonpatch ignores it by default.
    private static final EnumSet<CompatibilityFlags> FLAGS = EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

    private JsonPatch() {
    }

    /**
     * Applies {@code patch} (an array of operations) to a copy of {@code target}; the arguments are not modified.
     *
     * @throws PatchException MALFORMED (400) when the patch is not a valid operation list, NOT_APPLICABLE (422) when
     *                        an operation does not apply (missing path, failed test, ...)
     */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        validate(patch);
        try {
            return io.fabric8.zjsonpatch.JsonPatch.apply(patch, target.deepCopy(), FLAGS);
        } catch (JsonPatchException e) {
            throw new PatchException(PatchException.Kind.NOT_APPLICABLE, describe(e), e);
        } catch (RuntimeException e) {
            throw new PatchException(PatchException.Kind.NOT_APPLICABLE,
                    "the patch could not be applied: " + e.getMessage(), e);
        }
    }

    private static String describe(JsonPatchException e) {
        StringBuilder sb = new StringBuilder();
        if (e.getOperation() != null) {
            sb.append(e.getOperation().name().toLowerCase()).append(" operation does not apply: ");
        }
        sb.append(e.getMessage());
        return sb.toString();
    }

    // Checks the shape up front so that a malformed patch is a 400, as upstream's DecodePatch makes it.
    private static void validate(JsonNode patch) {
        if (patch == null || !patch.isArray()) {
            throw new PatchException(PatchException.Kind.MALFORMED,
                    "json: cannot unmarshal " + jsonTypeName(patch) + " into Go value of type jsonpatch.Patch");
        }
        if (patch.size() > MAX_OPERATIONS) {
            throw new PatchException(PatchException.Kind.MALFORMED, "The allowed maximum operations in a JSON patch is "
                    + MAX_OPERATIONS + ", got " + patch.size());
        }
        for (JsonNode op : patch) {
            if (!op.isObject()) {
                throw new PatchException(PatchException.Kind.MALFORMED,
                        "json: cannot unmarshal " + jsonTypeName(op) + " into Go value of type jsonpatch.Operation");
            }
            JsonNode name = op.get("op");
            if (name == null || !name.isString() || !OPERATIONS.contains(name.asString())) {
                throw new PatchException(PatchException.Kind.MALFORMED,
                        "Unexpected kind: " + (name == null ? "unknown" : name.asString()));
            }
            JsonNode path = op.get("path");
            if (path == null || !path.isString()) {
                throw new PatchException(PatchException.Kind.MALFORMED,
                        name.asString() + " operation missing path");
            }
            String n = name.asString();
            if ((n.equals("add") || n.equals("replace") || n.equals("test")) && !op.has("value")) {
                throw new PatchException(PatchException.Kind.MALFORMED, n + " operation missing value");
            }
            if ((n.equals("move") || n.equals("copy")) && (op.get("from") == null || !op.get("from").isString())) {
                throw new PatchException(PatchException.Kind.MALFORMED, n + " operation missing from");
            }
        }
    }

    static String jsonTypeName(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "array";
        }
        if (node.isString()) {
            return "string";
        }
        if (node.isNumber()) {
            return "number";
        }
        return "bool";
    }
}

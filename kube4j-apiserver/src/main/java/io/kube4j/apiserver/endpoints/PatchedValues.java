package io.kube4j.apiserver.endpoints;

import io.kube4j.api.patch.GoFormat;
import io.kube4j.api.patch.GoJson;
import tools.jackson.databind.JsonNode;

/**
 * The "bad value" upstream's patch handler quotes when it refuses a patch with fieldValidation=Strict, printed as Go
 * prints it there: a JSON or merge patch quotes the patched object as the JSON patch library re-encodes it (keys
 * sorted, compact, {@code <>&} escaped as encoding/json does), a strategic merge patch quotes the decoded patch
 * map with fmt's {@code %+v} ({@code map[spec:map[foo:1]]}).
 */
final class PatchedValues {

    private PatchedValues() {
    }

    /** The patched object of a JSON or merge patch, as upstream's json-patch library encodes it. */
    static String goJson(JsonNode patched) {
        return GoJson.sortedKeys(patched);
    }

    /** The decoded patch of a strategic merge patch, as fmt's %+v prints a map[string]interface{}. */
    static String goMap(JsonNode patch) {
        return GoFormat.of(patch);
    }
}

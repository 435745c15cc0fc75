package io.kube4j.apiserver.endpoints;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The messages of a body that cannot be decoded into the object a create or update expects, in upstream's words
 * (apiserver's transformDecodeError): with the body's kind known, {@code Pod in version "v1" cannot be handled as a
 * Pod: ...}; without, {@code the object provided is unrecognized (must be of type Pod): ... (<the body's start>)}.
 */
final class DecodeErrors {

    /** The Go type upstream's decoder reads apiVersion and kind into, as its unmarshal errors name it. */
    private static final String TYPE_META_STRUCT = "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
            + "Kind string \"json:\\\"kind,omitempty\\\"\" }";

    private DecodeErrors() {
    }

    /** A body of a known kind that cannot be handled: {@code detail} is the decoder's reason. */
    static String cannotBeHandled(ResourceType type, JsonNode body, String detail) {
        String kind = body.path("kind").asString("");
        if (kind.isEmpty()) {
            kind = type.kind();
        }
        String apiVersion = body.path("apiVersion").asString("");
        String version = apiVersion.isEmpty() ? type.version() : apiVersion.substring(apiVersion.indexOf('/') + 1);
        return kind + " in version \"" + version + "\" cannot be handled as a " + type.kind() + ": " + detail;
    }

    /** A body whose kind cannot even be read: {@code detail} is why. */
    static String unrecognized(String expectedKind, byte[] body, String detail) {
        return "the object provided is unrecognized (must be of type " + expectedKind + "): " + detail + " ("
                + summarize(body) + ")";
    }

    /**
     * Why a JSON body's kind cannot be read, as upstream's decoder says it (Go's encoding/json reading apiVersion
     * and kind); null when the body is a JSON object or null.
     */
    static String typeMetaError(byte[] body) {
        String syntax = GoJsonSyntax.error(body);
        if (syntax != null) {
            return "couldn't get version/kind; json parse error: " + syntax;
        }
        JsonNode node;
        try {
            node = Json.parse(body);
        } catch (RuntimeException e) {
            return null; // valid to Go; what Jackson refuses beyond that is reported by the caller
        }
        String jsonType;
        if (node.isArray()) {
            jsonType = "array";
        } else if (node.isString()) {
            jsonType = "string";
        } else if (node.isNumber()) {
            jsonType = "number";
        } else if (node.isBoolean()) {
            jsonType = "bool";
        } else {
            return null;
        }
        return "couldn't get version/kind; json parse error: json: cannot unmarshal " + jsonType
                + " into Go value of type " + TYPE_META_STRUCT;
    }

    /** upstream's summarizeData(body, 30): a JSON object's first 30 bytes as text, anything else in hex. */
    static String summarize(byte[] data) {
        int max = 30;
        if (data.length == 0) {
            return "<empty>";
        }
        boolean longer = data.length > max;
        byte[] head = longer ? java.util.Arrays.copyOf(data, max) : data;
        String text = data[0] == '{' ? new String(head, StandardCharsets.UTF_8) : HexFormat.of().formatHex(head);
        return longer ? text + " ..." : text;
    }
}

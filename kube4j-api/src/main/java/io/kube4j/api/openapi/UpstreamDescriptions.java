package io.kube4j.api.openapi;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Upstream's descriptions of the types and their fields (what {@code kubectl explain} prints), by upstream definition
 * name. The fabric8 model classes carry none, so the build extracts them from a published copy of upstream's API
 * documentation into the resource {@value #RESOURCE} ({@code {"io.k8s.api.core.v1.PodSpec": {"": "PodSpec is ...",
 * "restartPolicy": "Restart policy ..."}}}, see {@code io.kube4j.api.openapi.upstream.DescriptionsBuild}). A build
 * that could not fetch that copy has no resource: the documents are then served without descriptions.
 */
final class UpstreamDescriptions {

    /** Beside this class on the class path; gzip, because the same sentences recur in hundreds of types. */
    static final String RESOURCE = "upstream-descriptions.json.gz";
    /** The key of a definition's own description among its fields' (no field is named ""). */
    static final String TYPE_KEY = "";

    private static final UpstreamDescriptions NONE = new UpstreamDescriptions(Map.of());

    private final Map<String, Map<String, String>> byDefinition;

    UpstreamDescriptions(Map<String, Map<String, String>> byDefinition) {
        this.byDefinition = byDefinition;
    }

    /** The descriptions built into this jar, or none if the build had none to build from. */
    static UpstreamDescriptions load() {
        try (InputStream in = UpstreamDescriptions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return NONE;
            }
            return new UpstreamDescriptions(read(new GZIPInputStream(in)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the class path", e);
        }
    }

    static UpstreamDescriptions none() {
        return NONE;
    }

    /** A definition's own description, or null. */
    String definition(String name) {
        return field(name, TYPE_KEY);
    }

    /** The description of a definition's property, or null. */
    String field(String definition, String property) {
        Map<String, String> fields = byDefinition.get(definition);
        return fields == null ? null : fields.get(property);
    }

    int definitionCount() {
        return byDefinition.size();
    }

    /**
     * Reads the resource's JSON, sharing one String per distinct text: "APIVersion defines ..." and its like appear
     * in every kind, and the documents' nodes then point at one copy instead of hundreds.
     */
    private static Map<String, Map<String, String>> read(InputStream json) {
        Map<String, Map<String, String>> parsed = JsonMapper.builder().build()
                .readValue(json, new TypeReference<Map<String, Map<String, String>>>() { });
        Map<String, String> distinct = new HashMap<>();
        Map<String, Map<String, String>> result = new HashMap<>(parsed.size() * 2);
        parsed.forEach((definition, fields) -> {
            Map<String, String> shared = new HashMap<>(fields.size() * 2);
            fields.forEach((field, text) -> shared.put(field, distinct.computeIfAbsent(text, t -> t)));
            result.put(definition, shared);
        });
        return result;
    }
}

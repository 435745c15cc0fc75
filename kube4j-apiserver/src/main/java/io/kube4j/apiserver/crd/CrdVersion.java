package io.kube4j.apiserver.crd;

import tools.jackson.databind.JsonNode;

/** One entry of a CRD's spec.versions, read from the stored object. */
public record CrdVersion(String name, boolean served, boolean storage, JsonNode schema, JsonNode subresources,
                         JsonNode printerColumns) {

    static CrdVersion of(JsonNode version) {
        return new CrdVersion(version.path("name").asString(""), version.path("served").asBoolean(false),
                version.path("storage").asBoolean(false), version.path("schema").get("openAPIV3Schema"),
                version.path("subresources"), version.path("additionalPrinterColumns"));
    }

    public boolean hasStatus() {
        return subresources.path("status").isObject();
    }

    /** The scale subresource's settings, or a missing node. */
    public JsonNode scale() {
        return subresources.path("scale");
    }

    public boolean hasScale() {
        return scale().isObject();
    }
}

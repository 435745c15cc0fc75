package io.kube4j.apiserver.registry;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How objects are kept in the store: JSON without metadata.resourceVersion (the store's mod revision is the
 * resourceVersion, as in upstream's etcd3 storage).
 */
public final class ObjectCodec {

    private ObjectCodec() {
    }

    public static byte[] encode(ObjectNode obj) {
        ObjectNode metadata = Json.obj(obj, "metadata");
        if (metadata == null || !metadata.has("resourceVersion")) {
            return Json.bytes(obj);
        }
        ObjectNode copy = obj.deepCopy();
        ((ObjectNode) copy.get("metadata")).remove("resourceVersion");
        return Json.bytes(copy);
    }

    public static ObjectNode decode(byte[] value, long modRevision) {
        JsonNode node;
        try {
            node = Json.parse(value);
        } catch (JacksonException e) {
            throw StatusException.internalError("stored object is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode obj)) {
            throw StatusException.internalError("stored object is not a JSON object");
        }
        Json.metadata(obj).put("resourceVersion", Long.toString(modRevision));
        return obj;
    }
}

package io.kube4j.apiserver.registry;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

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
        // serialised through a view (a new root and metadata sharing every other node, fields in the same order):
        // a deep copy just to leave out one field cost every update a copy of the whole object
        ObjectNode meta = metadata.objectNode();
        for (Map.Entry<String, JsonNode> e : metadata.properties()) {
            if (!e.getKey().equals("resourceVersion")) {
                meta.set(e.getKey(), e.getValue());
            }
        }
        ObjectNode view = obj.objectNode();
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            view.set(e.getKey(), e.getKey().equals("metadata") ? meta : e.getValue());
        }
        return Json.bytes(view);
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

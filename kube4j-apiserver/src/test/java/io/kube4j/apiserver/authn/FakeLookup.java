package io.kube4j.apiserver.authn;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory ObjectLookup for tests. */
public final class FakeLookup implements ObjectLookup {

    private final Map<String, ObjectNode> objects = new LinkedHashMap<>();

    private static String key(String resource, String namespace, String name) {
        return resource + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }

    public ObjectNode put(String resource, ObjectNode object) {
        objects.put(key(resource, Json.text(object, "metadata", "namespace"), Json.text(object, "metadata", "name")),
                object);
        return object;
    }

    public void remove(String resource, String namespace, String name) {
        objects.remove(key(resource, namespace, name));
    }

    public static ObjectNode object(String namespace, String name, String uid) {
        ObjectNode node = Json.object();
        ObjectNode metadata = node.putObject("metadata");
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        metadata.put("uid", uid);
        return node;
    }

    @Override
    public Optional<ObjectNode> get(String resource, String namespace, String name) {
        return Optional.ofNullable(objects.get(key(resource, namespace, name)));
    }

    @Override
    public List<ObjectNode> list(String resource, String namespace) {
        List<ObjectNode> result = new ArrayList<>();
        String prefix = resource + "/" + (namespace == null ? "" : namespace + "/");
        objects.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                result.add(v);
            }
        });
        return result;
    }
}

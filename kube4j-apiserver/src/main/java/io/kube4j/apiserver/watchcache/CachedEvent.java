package io.kube4j.apiserver.watchcache;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * One change of one object, decoded once and shared by every watcher. {@code object} is the object after the
 * change (for DELETED: its last state, with the delete's resourceVersion); {@code previous} the object
 * before it, or null. Both must be treated as read-only.
 */
public final class CachedEvent {

    private final EventType type;
    private final String key;
    private final ObjectNode object;
    private final ObjectNode previous;
    private final long revision;
    private volatile byte[] objectJson;

    public CachedEvent(EventType type, String key, ObjectNode object, ObjectNode previous, long revision) {
        this.type = type;
        this.key = key;
        this.object = object;
        this.previous = previous;
        this.revision = revision;
    }

    public EventType type() {
        return type;
    }

    public String key() {
        return key;
    }

    public ObjectNode object() {
        return object;
    }

    public ObjectNode previous() {
        return previous;
    }

    public long revision() {
        return revision;
    }

    /** The object serialised once, for the many watchers that send it as it is. */
    public byte[] objectJson() {
        byte[] json = objectJson;
        if (json == null) {
            json = Json.bytes(object);
            objectJson = json;
        }
        return json;
    }
}

package io.kube4j.apiserver.watchcache;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

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
    /** {@code {"type":"<TYPE>","object":} by event type: the part of a line before the object. */
    private static final byte[][] LINE_HEADS = new byte[EventType.values().length][];
    /** What closes every watch line. */
    private static final byte[] LINE_END;

    static {
        LINE_END = "}\n".getBytes(StandardCharsets.UTF_8);
        for (EventType type : EventType.values()) {
            LINE_HEADS[type.ordinal()] = ("{\"type\":\"" + type.name() + "\",\"object\":")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

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

    /**
     * The watch line {@code {"type":...,"object":...}\n} carrying this event's object as the given type, as three
     * parts to send back to back: the type's constant prefix, the object encoded once for every watcher (as
     * upstream's cachingObject serialises an event once per encoding), and the constant suffix. Nothing is joined
     * or copied per watcher, and no second copy of the object is kept in the ring. The type is a parameter because
     * a watcher's selection can turn a MODIFIED into an ADDED. The arrays are shared: never modify them.
     */
    public byte[][] lineParts(EventType type) {
        return new byte[][] {LINE_HEADS[type.ordinal()], objectJson(), LINE_END};
    }

    /** A watch line for {@code objectJson} (an encoded object) as an event of {@code type}, joined. */
    public static byte[] line(EventType type, byte[] objectJson) {
        byte[] head = LINE_HEADS[type.ordinal()];
        byte[] out = new byte[head.length + objectJson.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(objectJson, 0, out, head.length, objectJson.length);
        out[out.length - 2] = '}';
        out[out.length - 1] = '\n';
        return out;
    }
}

package io.kube4j.apiserver.watchcache;

import io.kube4j.apiserver.http.SharedBytes;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * One change of one object, shared by every watcher. {@code entry} is the cache's entry of the object after the
 * change (for DELETED: of its last state, served with the delete's resourceVersion); {@code previous} the entry
 * before it, or null. Entries keep stored bytes and selection attributes: a watcher needing a tree decodes one.
 */
public final class CachedEvent {

    private final EventType type;
    private final String key;
    private final CachedObject entry;
    private final CachedObject previous;
    private final long revision;
    /**
     * The watch line of this event's object as each event type, built on first use (a watcher's selection can turn a
     * MODIFIED into an ADDED or DELETED); entries are set once, racing builders produce equal lines.
     */
    private final SharedBytes[] lines = new SharedBytes[EventType.values().length];
    /** The last selection {@link #matches} was asked about and its answer; replaced as a whole. */
    private volatile SelectionMatch lastMatch;
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

    public CachedEvent(EventType type, String key, CachedObject entry, CachedObject previous, long revision) {
        this.type = type;
        this.key = key;
        this.entry = entry;
        this.previous = previous;
        this.revision = revision;
    }

    public EventType type() {
        return type;
    }

    public String key() {
        return key;
    }

    /** The entry of the object after the change (DELETED: its last state). */
    public CachedObject entry() {
        return entry;
    }

    /** The entry of the object before the change, or null. */
    public CachedObject previousEntry() {
        return previous;
    }

    /**
     * The resourceVersion the event's object is served with: the delete's for DELETED, else the entry's own (a
     * synthetic ADDED of a watch's initial state comes at the cache's revision, its object at its own).
     */
    public long objectRevision() {
        return type == EventType.DELETED ? revision : entry.stored().modRevision();
    }

    /** The event's object decoded: a new tree, the caller's to change. */
    public ObjectNode object() {
        return entry.decode(objectRevision());
    }

    /** The object before the change decoded (a new tree), or null. */
    public ObjectNode previous() {
        return previous == null ? null : previous.object();
    }

    public long revision() {
        return revision;
    }

    /**
     * The watch line {@code {"type":"<TYPE>","object":...}\n} carrying this event's object as the given type, encoded
     * once for every watcher that sends the object as it is (as upstream's cachingObject serialises an event once per
     * encoding) and held as bytes a transport sends from one shared copy. The object is encoded once per event, not
     * per type: a second type's line reuses the first one's object bytes.
     */
    public SharedBytes line(EventType type) {
        SharedBytes line = lines[type.ordinal()];
        if (line == null) {
            line = new SharedBytes(line(type, objectJson()));
            lines[type.ordinal()] = line;
        }
        return line;
    }

    /** The object as encoded in a line already built, or encoded now. */
    private byte[] objectJson() {
        for (int t = 0; t < lines.length; t++) {
            SharedBytes built = lines[t];
            if (built != null) {
                byte[] line = built.bytes();
                int head = LINE_HEADS[t].length;
                return Arrays.copyOfRange(line, head, line.length - LINE_END.length);
            }
        }
        return entry.servedBytes(objectRevision());
    }

    /** {@link #matches}: the object after the change matches the selection. */
    public static final int NOW = 1;
    /** {@link #matches}: the object before the change matches the selection. */
    public static final int BEFORE = 2;

    /**
     * Which of this event's objects (after: {@link #NOW}, before: {@link #BEFORE}) {@code test} accepts, worked out
     * once for every watcher whose selection equals {@code selection}: the fan-out hands one event to its watchers
     * one after the other, and watchers of one resource mostly select alike (a namespace, or everything), so each
     * but the first compares its selection with the last one asked about instead of reading the object again. A
     * different selection is worked out and becomes the one kept. {@code test} must depend on the selection alone.
     */
    public int matches(Object selection, Predicate<CachedObject> test) {
        SelectionMatch last = lastMatch;
        if (last != null && last.selection().equals(selection)) {
            return last.result();
        }
        int result = (test.test(entry) ? NOW : 0) | (previous != null && test.test(previous) ? BEFORE : 0);
        lastMatch = new SelectionMatch(selection, result);
        return result;
    }

    private record SelectionMatch(Object selection, int result) {
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

package io.kube4j.apiserver.endpoints;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ResponseSink.StreamWriter;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.Selection;
import io.kube4j.apiserver.watchcache.CacheListener;
import io.kube4j.apiserver.watchcache.CachedEvent;
import io.kube4j.apiserver.watchcache.CachedObject;
import io.kube4j.apiserver.watchcache.EventType;
import tools.jackson.databind.node.ObjectNode;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One client's watch: filters the cache's events through the client's selection, turns objects leaving or
 * entering it into DELETED/ADDED as upstream does, and writes {@code {"type":...,"object":...}} lines.
 */
final class ClientWatch implements CacheListener {

    private final StreamWriter writer;
    private final Selection selection;
    /** The selection's test, made once rather than per event. */
    private final Predicate<CachedObject> matcher;
    private final boolean bookmarks;
    /** null: send objects as stored; otherwise how to render one (tables, other versions). */
    private final Function<ObjectNode, byte[]> renderer;
    private final String apiVersion;
    private final String kind;
    private final boolean initialEventsEndBookmark;
    private volatile long afterRevision;
    private volatile long lastSent;
    /** Whether the last onEvent or onProgress wrote to the client; read by the fan-out thread that made the call. */
    private boolean sentLast;

    ClientWatch(StreamWriter writer, Selection selection, boolean bookmarks, Function<ObjectNode, byte[]> renderer,
                String apiVersion, String kind, long afterRevision, boolean initialEventsEndBookmark) {
        this.initialEventsEndBookmark = initialEventsEndBookmark;
        this.writer = writer;
        this.selection = selection;
        this.matcher = selection::matches;
        this.bookmarks = bookmarks;
        this.renderer = renderer;
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.afterRevision = afterRevision;
    }

    @Override
    public boolean onEvent(CachedEvent event) {
        sentLast = false;
        if (!writer.isOpen()) {
            return false;
        }
        if (event.revision() <= afterRevision) {
            return true;
        }
        // worked out once per event for all the watchers that select alike
        int matches = event.matches(selection, matcher);
        boolean now = (matches & CachedEvent.NOW) != 0;
        boolean before = (matches & CachedEvent.BEFORE) != 0;
        EventType type;
        // the entry the line carries and its resourceVersion: the event's own, or the previous object's for one
        // that left the selection
        CachedObject entry = event.entry();
        long objectRevision = event.objectRevision();
        switch (event.type()) {
            case ADDED -> type = now ? EventType.ADDED : null;
            case MODIFIED -> {
                if (now && before) {
                    type = EventType.MODIFIED;
                } else if (now) {
                    type = EventType.ADDED;
                } else if (before) {
                    // as upstream: the object as it was, at the event's resourceVersion
                    type = EventType.DELETED;
                    entry = event.previousEntry();
                    objectRevision = event.revision();
                } else {
                    type = null;
                }
            }
            case DELETED -> type = before || now ? EventType.DELETED : null;
            default -> type = null;
        }
        if (type == null) {
            return true;
        }
        lastSent = Math.max(lastSent, event.revision());
        sentLast = true;
        if (renderer == null && entry == event.entry()) {
            // the common case: the object as stored, its line encoded and framed once for every watcher of it
            return writer.writeShared(event.line(type));
        }
        // a Table or another version (decoded from the cached bytes), or the previous object: for this watcher alone
        byte[] object = renderer == null ? entry.servedBytes(objectRevision)
                : renderer.apply(entry.decode(objectRevision));
        return writer.write(line(type, object));
    }

    @Override
    public void onProgress(long revision) {
        sentLast = false;
        if (bookmarks && writer.isOpen() && revision > lastSent) {
            lastSent = revision;
            sentLast = true;
            sendBookmark(revision, false);
        }
    }

    @Override
    public boolean sentLast() {
        return sentLast;
    }

    @Override
    public void onInitialEventsEnd(long revision) {
        if (initialEventsEndBookmark) {
            lastSent = Math.max(lastSent, revision);
            sendBookmark(revision, true);
        }
    }

    void sendBookmark(long revision, boolean initialEventsEnd) {
        ObjectNode object = Json.object();
        object.put("kind", kind);
        object.put("apiVersion", apiVersion);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("resourceVersion", Long.toString(revision));
        if (initialEventsEnd) {
            metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
        }
        writer.write(line(EventType.BOOKMARK, Json.bytes(object)));
    }

    void sendError(StatusException e) {
        writer.write(line(EventType.ERROR, Json.bytes(e.toStatus())));
    }

    @Override
    public void onTerminated(String reason) {
        writer.end();
    }

    void setAfterRevision(long revision) {
        this.afterRevision = revision;
    }

    private static byte[] line(EventType type, byte[] object) {
        return CachedEvent.line(type, object);
    }
}

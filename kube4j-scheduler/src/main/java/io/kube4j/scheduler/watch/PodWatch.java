package io.kube4j.scheduler.watch;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The scheduler's list and watch of all pods, as an informer, but reading each event's JSON with a streaming parser
 * into a {@link PodHeader} and decoding the full Pod only when the handler asks for it. The scheduler needs the
 * whole Pod only for pods it will schedule; for the pods it sees bound (its own bindings coming back, the kubelets'
 * status updates) the header decides everything, and fabric8's informer would have built a tree and then a Pod
 * (managedFields included) for every one of those events, and kept them all. Measured on bench/scheduler at 5,000
 * nodes before this class: that informer's decoding was ~11% of the process CPU and ~26% of its allocation.
 *
 * <p>Upstream's reflector semantics: a list, then a watch from the list's resourceVersion; a closed watch is reopened
 * from the last resourceVersion seen (bookmarks included); an ERROR event (410 Gone) relists, and the relist is
 * reconciled against the last known state (added, updated, deleted). The watch is a WebSocket, as fabric8's own
 * watches, so it works against any server fabric8 works with. Events are handled one at a time, in order.
 */
public final class PodWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodWatch.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final int LIST_CHUNK = 500;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    /** Receives pod events in order. {@code full} decodes the event's Pod on first use (and only then). */
    public interface Handler {
        void added(PodHeader pod, Supplier<Pod> full);

        /** {@code oldPod} is the previous Pod if it was decoded and kept (pods not yet bound), else null. */
        void updated(PodHeader old, Pod oldPod, PodHeader pod, Supplier<Pod> full);

        void deleted(PodHeader pod);
    }

    /** The last state of a pod; the decoded Pod is kept only while the pod is unbound. */
    private record Known(PodHeader header, Pod pod) {}

    private final KubernetesClient client;
    private final KubernetesSerialization serialization;
    private final Handler handler;
    private final String base;
    private final Map<String, Known> known = new HashMap<>();
    private final ScheduledExecutorService retries;
    private volatile boolean closed;
    private volatile WebSocket socket;
    private String resourceVersion;
    private long backoffMillis = 1000;

    PodWatch(KubernetesClient client, Handler handler) {
        this.client = client;
        this.serialization = client.getKubernetesSerialization();
        this.handler = handler;
        String b = client.getMasterUrl().toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scheduler-pod-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Lists every pod (handing each to the handler) and opens the watch; returns once the list is handled. */
    public static PodWatch start(KubernetesClient client, Handler handler) {
        PodWatch w = new PodWatch(client, handler);
        try {
            w.list();
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        w.openWatch();
        return w;
    }

    // ---------------- list ----------------

    private synchronized void list() {
        Set<String> seen = new HashSet<>();
        String cont = null;
        String rv;
        do {
            StringBuilder url = new StringBuilder(base).append("/api/v1/pods?limit=").append(LIST_CHUNK);
            if (cont != null) url.append("&continue=").append(URLEncoder.encode(cont, StandardCharsets.UTF_8));
            byte[] body = get(url.toString());
            String[] meta = new String[2];
            try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body)) {
                if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalStateException("pod list is not a JSON object");
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String f = p.currentName();
                    JsonToken t = p.nextToken();
                    if ("metadata".equals(f) && t == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            String mf = p.currentName();
                            p.nextToken();
                            if ("resourceVersion".equals(mf)) meta[0] = text(p);
                            else if ("continue".equals(mf)) meta[1] = text(p);
                            else p.skipChildren();
                        }
                    } else if ("items".equals(f) && t == JsonToken.START_ARRAY) {
                        long[] mf = new long[2];
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            int start = (int) p.currentTokenLocation().getByteOffset();
                            PodHeader h = header(p, mf);
                            int end = (int) p.currentLocation().getByteOffset();
                            seen.add(h.key());
                            listed(h, new LazyPod(body, start, end, mf));
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            } catch (JacksonException e) {
                throw new IllegalStateException("cannot read the pod list: " + e.getOriginalMessage(), e);
            }
            rv = meta[0];
            cont = meta[1] == null || meta[1].isEmpty() ? null : meta[1];
        } while (cont != null);
        // A relist: pods gone since the last state known are deletions the watch missed.
        for (Known k : known.values().toArray(new Known[0])) {
            if (!seen.contains(k.header().key())) {
                known.remove(k.header().key());
                handler.deleted(k.header());
            }
        }
        resourceVersion = rv;
    }

    private void listed(PodHeader h, LazyPod full) {
        Known old = known.get(h.key());
        if (old == null) {
            handler.added(h, full);
        } else if (!h.resourceVersion().equals(old.header().resourceVersion())) {
            handler.updated(old.header(), old.pod(), h, full);
        } else {
            return;
        }
        remember(h, full);
    }

    private byte[] get(String url) {
        HttpClient http = client.getHttpClient();
        HttpRequest req = http.newHttpRequestBuilder().uri(url).build();
        try {
            HttpResponse<byte[]> resp = http.sendAsync(req, byte[].class).get(60, TimeUnit.SECONDS);
            if (resp.code() != 200) {
                byte[] b = resp.body();
                throw new IllegalStateException("listing pods answered HTTP " + resp.code() + ": "
                        + (b == null ? "" : new String(b, StandardCharsets.UTF_8)));
            }
            return resp.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing pods", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list pods: " + e.getMessage(), e);
        }
    }

    // ---------------- watch ----------------

    private void openWatch() {
        if (closed) return;
        String rv;
        synchronized (this) {
            rv = resourceVersion;
        }
        String url = base + "/api/v1/pods?allowWatchBookmarks=true&watch=true"
                + (rv == null ? "" : "&resourceVersion=" + URLEncoder.encode(rv, StandardCharsets.UTF_8));
        client.getHttpClient().newWebSocketBuilder().uri(URI.create(url)).buildAsync(new Listener())
                .whenComplete((ws, e) -> {
                    if (e != null) {
                        LOG.debug("pod watch could not open: {}", e.toString());
                        // A server may refuse an expired resourceVersion at the upgrade (410) instead of with an
                        // ERROR event: reopening from it would fail forever, so list again.
                        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        retry(cause instanceof WebSocketHandshakeException h && h.getResponse() != null
                                && h.getResponse().code() == 410);
                    } else if (closed) {
                        ws.sendClose(1000, null);
                    } else {
                        socket = ws;
                    }
                });
    }

    /** Reopens the watch after a pause; with {@code relist} (the resourceVersion expired) lists first. */
    private void retry(boolean relist) {
        if (closed) return;
        long delay;
        synchronized (this) {
            delay = backoffMillis;
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
            if (relist) resourceVersion = null;
        }
        try {
            retries.schedule(() -> {
                if (closed) return;
                boolean mustList;
                synchronized (this) {
                    mustList = resourceVersion == null;
                }
                if (mustList) {
                    try {
                        list();
                    } catch (RuntimeException e) {
                        LOG.warn("pod relist failed: {}", e.getMessage());
                        retry(true);
                        return;
                    }
                }
                openWatch();
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private final class Listener implements WebSocket.Listener {
        /** Set by the first end of this socket (close or error), so one socket is never retried twice. */
        private boolean ended;

        @Override public void onOpen(WebSocket ws) { ws.request(); }

        @Override public void onMessage(WebSocket ws, String text) {
            boolean relist;
            try {
                relist = event(text.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                // A handler bug must not stop the watch; the event's pod is dealt with at the next change or relist.
                LOG.error("pod watch event failed", e);
                relist = false;
            }
            if (relist) {
                end(ws, true);
            } else {
                ws.request();
            }
        }

        @Override public void onClose(WebSocket ws, int code, String reason) { end(ws, false); }

        @Override public void onError(WebSocket ws, Throwable error) {
            if (!closed) LOG.debug("pod watch failed: {}", error.toString());
            end(ws, false);
        }

        private void end(WebSocket ws, boolean relist) {
            synchronized (this) {
                if (ended) return;
                ended = true;
            }
            if (relist) ws.sendClose(1000, null);
            retry(relist);
        }
    }

    /** Handles one watch event; returns whether the watch must be relisted (an ERROR event, e.g. 410 Gone). */
    synchronized boolean event(byte[] json) {
        if (closed) return false;
        String type = null;
        PodHeader h = null;
        LazyPod full = null;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return false;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                if ("type".equals(f)) {
                    type = text(p);
                } else if ("object".equals(f) && t == JsonToken.START_OBJECT && !"ERROR".equals(type)) {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    long[] mf = new long[2];
                    h = header(p, mf);
                    full = new LazyPod(json, start, (int) p.currentLocation().getByteOffset(), mf);
                } else {
                    p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            LOG.warn("unreadable pod watch event: {}", e.getOriginalMessage());
            return false;
        }
        if ("ERROR".equals(type)) {
            LOG.info("pod watch ended by the server (resourceVersion {} expired?); relisting", resourceVersion);
            return true;
        }
        if (h == null || type == null) return false;
        backoffMillis = 1000;
        if (h.resourceVersion() != null) resourceVersion = h.resourceVersion();
        if ("BOOKMARK".equals(type)) return false;
        Known old = known.get(h.key());
        switch (type) {
            case "ADDED", "MODIFIED" -> {
                if (old == null) handler.added(h, full);
                else handler.updated(old.header(), old.pod(), h, full);
                remember(h, full);
            }
            case "DELETED" -> {
                known.remove(h.key());
                handler.deleted(old != null ? old.header() : h);
            }
            default -> LOG.debug("pod watch event of unknown type {}", type);
        }
        return false;
    }

    /** Keeps the header, and the Pod if the handler decoded it and the pod is not bound (its next update compares it). */
    private void remember(PodHeader h, LazyPod full) {
        known.put(h.key(), new Known(h, h.assigned() ? null : full.decoded()));
    }

    // ---------------- parsing ----------------

    /**
     * Reads a pod object (the parser at its START_OBJECT) to its END_OBJECT, keeping the header fields; the byte range
     * of {@code "managedFields":[...]} goes into {@code managedFields} ({start, end}, or -1s).
     */
    static PodHeader header(JsonParser p, long[] managedFields) {
        managedFields[0] = -1;
        managedFields[1] = -1;
        String ns = null, name = null, uid = null, rv = null, node = null, schedulerName = null, phase = null;
        boolean deleting = false, gated = false;
        Map<String, String> labels = Map.of();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            switch (f) {
                case "metadata" -> {
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String m = p.currentName();
                        long nameStart = p.currentTokenLocation().getByteOffset();
                        JsonToken v = p.nextToken();
                        switch (m) {
                            case "namespace" -> ns = text(p);
                            case "name" -> name = text(p);
                            case "uid" -> uid = text(p);
                            case "resourceVersion" -> rv = text(p);
                            case "deletionTimestamp" -> deleting = v != JsonToken.VALUE_NULL;
                            case "labels" -> labels = v == JsonToken.START_OBJECT ? stringMap(p) : Map.of();
                            case "managedFields" -> {
                                // the property name starts where its quote does: the value's start minus the name
                                managedFields[0] = nameStart;
                                p.skipChildren();
                                managedFields[1] = p.currentLocation().getByteOffset();
                            }
                            default -> p.skipChildren();
                        }
                    }
                }
                case "spec" -> {
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String s = p.currentName();
                        JsonToken v = p.nextToken();
                        switch (s) {
                            case "nodeName" -> node = text(p);
                            case "schedulerName" -> schedulerName = text(p);
                            case "schedulingGates" -> {
                                if (v == JsonToken.START_ARRAY) {
                                    gated = p.nextToken() != JsonToken.END_ARRAY;
                                    if (gated) {
                                        p.skipChildren();
                                        while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
                                    }
                                }
                            }
                            default -> p.skipChildren();
                        }
                    }
                }
                case "status" -> {
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String s = p.currentName();
                        p.nextToken();
                        if ("phase".equals(s)) phase = text(p);
                        else p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new PodHeader(ns == null ? "default" : ns, name, uid, rv, node, schedulerName, phase, deleting, gated, labels);
    }

    private static Map<String, String> stringMap(JsonParser p) {
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String k = p.currentName();
            p.nextToken();
            String v = text(p);
            if (v != null) out.put(k, v);
        }
        return out.isEmpty() ? Map.of() : out;
    }

    /** The current scalar as text; null for JSON null (and for objects or arrays, which are skipped). */
    private static String text(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) return null;
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        return p.getString();
    }

    /**
     * A pod's JSON inside a larger buffer (a list or an event), decoded into a Pod once, on first use, without its
     * metadata.managedFields: the scheduler never reads them, they are about half of a pod's JSON and most of its
     * decoding (a map per field path), and upstream's scheduler drops them from its informer's pods too.
     */
    private final class LazyPod implements Supplier<Pod> {
        private final byte[] buf;
        private final int start;
        private final int end;
        private final int cutStart;
        private final int cutEnd;
        private Pod pod;

        LazyPod(byte[] buf, int start, int end, long[] managedFields) {
            this.buf = buf;
            this.start = start;
            this.end = end;
            int[] cut = cut(buf, (int) managedFields[0], (int) managedFields[1]);
            this.cutStart = cut[0];
            this.cutEnd = cut[1];
        }

        @Override public Pod get() {
            if (pod == null) {
                try {
                    java.io.InputStream in = cutStart < 0
                            ? new ByteArrayInputStream(buf, start, end - start)
                            : new java.io.SequenceInputStream(new ByteArrayInputStream(buf, start, cutStart - start),
                                    new ByteArrayInputStream(buf, cutEnd, end - cutEnd));
                    pod = serialization.unmarshal(in, Pod.class);
                } catch (RuntimeException e) {
                    throw new CompletionException("cannot decode pod: " + e.getMessage(), e);
                }
            }
            return pod;
        }

        Pod decoded() { return pod; }
    }

    /**
     * The bytes to leave out to drop the property spanning [from, to) from its object and keep valid JSON: with the
     * comma after it, or, when it is the last property, the comma before it. {-1, -1} when there is none.
     */
    static int[] cut(byte[] b, int from, int to) {
        if (from < 0 || to <= from) return new int[] {-1, -1};
        int after = to;
        while (after < b.length && isSpace(b[after])) after++;
        if (after < b.length && b[after] == ',') return new int[] {from, after + 1};
        int before = from - 1;
        while (before >= 0 && isSpace(b[before])) before--;
        if (before >= 0 && b[before] == ',') return new int[] {before, to};
        return new int[] {from, to}; // the only property
    }

    private static boolean isSpace(byte c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        WebSocket ws = socket;
        if (ws != null) ws.sendClose(1000, null);
    }
}

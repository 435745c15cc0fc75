package io.kube4j.bench.scheduler;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a namespace's pods that have {@code spec.nodeName} set (field selector {@code spec.nodeName!=}), through
 * the API server over HTTP, and reports each pod's name. The API server turns a pod's binding into an ADDED event
 * for this selection, so the benchmark sees one event per bound pod instead of every create and status change.
 *
 * <p>A fabric8 informer would decode every event into a full Pod and keep a cache of them all; the benchmark needs
 * only the name, and that work shares the two cores with the API server and the scheduler it measures. Events are
 * read with a streaming JSON parser that skips everything but {@code object.metadata.name},
 * {@code object.metadata.resourceVersion} and {@code object.spec.nodeName}. A watch the server ends is reopened
 * from the last resourceVersion seen.
 */
final class BoundPodWatch implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    private final KubernetesClient client;
    private final String namespace;
    private final Consumer<String> onBound;
    private final Thread reader;
    private final CountDownLatch opened = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile InputStream current;
    private volatile String resourceVersion;

    private BoundPodWatch(KubernetesClient client, String namespace, Consumer<String> onBound) {
        this.client = client;
        this.namespace = namespace;
        this.onBound = onBound;
        this.reader = new Thread(this::run, "bench-watch");
        this.reader.setDaemon(true);
    }

    /** Opens the watch and returns once the server has answered it. */
    static BoundPodWatch start(KubernetesClient client, String namespace, Consumer<String> onBound) throws InterruptedException {
        BoundPodWatch w = new BoundPodWatch(client, namespace, onBound);
        w.reader.start();
        if (!w.opened.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the bound-pod watch did not open within 30 s");
        return w;
    }

    private void run() {
        while (!closed) {
            try (InputStream in = open()) {
                current = in;
                opened.countDown();
                read(in);
            } catch (IOException | RuntimeException e) {
                if (closed) return;
                System.err.println("bench watch: " + e + "; reopening from resourceVersion " + resourceVersion);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private InputStream open() throws IOException, InterruptedException {
        String base = client.getMasterUrl().toString();
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        StringBuilder url = new StringBuilder(base).append("/api/v1/namespaces/").append(namespace)
                .append("/pods?watch=true&allowWatchBookmarks=true&fieldSelector=")
                .append(URLEncoder.encode("spec.nodeName!=", StandardCharsets.UTF_8));
        String rv = resourceVersion;
        if (rv != null) url.append("&resourceVersion=").append(URLEncoder.encode(rv, StandardCharsets.UTF_8));
        HttpRequest req = client.getHttpClient().newHttpRequestBuilder().uri(url.toString()).forStreaming().build();
        try {
            HttpResponse<InputStream> resp = client.getHttpClient().sendAsync(req, InputStream.class).get(30, TimeUnit.SECONDS);
            if (resp.code() != 200) {
                String body = new String(resp.body().readAllBytes(), StandardCharsets.UTF_8);
                resp.body().close();
                throw new IOException("watch answered HTTP " + resp.code() + ": " + body);
            }
            return resp.body();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("cannot open the watch: " + e, e);
        }
    }

    /** Reads concatenated watch events until the stream ends. */
    private void read(InputStream in) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            while (!closed && p.nextToken() == JsonToken.START_OBJECT) {
                String type = null;
                String name = null;
                String node = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken t = p.nextToken();
                    if ("type".equals(field)) {
                        type = p.getText();
                    } else if ("object".equals(field) && t == JsonToken.START_OBJECT) {
                        String[] found = readObject(p);
                        name = found[0];
                        node = found[1];
                    } else {
                        p.skipChildren();
                    }
                }
                if ("ERROR".equals(type)) {
                    // An expired resourceVersion (410): reopen without one, so the server first lists every pod bound
                    // so far as ADDED; the tracker keeps each pod's first sighting, so only late sightings get later times.
                    System.err.println("bench watch: ERROR event; reopening with the current state");
                    resourceVersion = null;
                    return;
                }
                if (("ADDED".equals(type) || "MODIFIED".equals(type)) && name != null && node != null && !node.isEmpty()) {
                    onBound.accept(name);
                }
            }
        }
    }

    /** Within {@code object}: returns {metadata.name, spec.nodeName} and remembers metadata.resourceVersion. */
    private String[] readObject(JsonParser p) throws IOException {
        String[] out = new String[2];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if ("metadata".equals(field) && t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if ("name".equals(f)) out[0] = p.getText();
                    else if ("resourceVersion".equals(f)) resourceVersion = p.getText();
                    else p.skipChildren();
                }
            } else if ("spec".equals(field) && t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if ("nodeName".equals(f)) out[1] = p.getText();
                    else p.skipChildren();
                }
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}

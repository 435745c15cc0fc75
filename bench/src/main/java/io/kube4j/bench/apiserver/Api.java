package io.kube4j.bench.apiserver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * One server's REST API as the bench's clients call it (HTTP/1.1, raw JSON), through one of two drivers: kept-alive
 * connections that each calling thread drives itself ({@link RawHttpConnection}, the default: a light client, so
 * that the 2 cores the client shares with the server go to the server) or the JDK HttpClient shared by all clients
 * (the driver of the figures before 2026-11-27).
 */
final class Api {
    /** A response: its status code and its body as text. */
    record Response(int statusCode, String body) {
    }

    /** Which client sends the requests. */
    enum Driver { RAW, JDK }

    private static final String HOST = "127.0.0.1";

    private final HttpClient jdk;
    private final Driver driver;
    private final String base;
    private final int port;
    /** Idle kept-alive connections; a client takes one for an exchange and gives it back (at most one per client). */
    private final ConcurrentLinkedDeque<RawHttpConnection> idle = new ConcurrentLinkedDeque<>();

    Api(HttpClient jdk, int port, Driver driver) {
        this.jdk = jdk;
        this.port = port;
        this.driver = driver;
        this.base = "http://" + HOST + ":" + port;
    }

    int port() {
        return port;
    }

    Response get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    Response post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json);
    }

    Response put(String path, String json) throws IOException, InterruptedException {
        return send("PUT", path, json);
    }

    Response delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    /** A GET through the JDK HttpClient whatever the driver: the big list's read "as a String" measures that client. */
    Response getWithJdk(String path) throws IOException, InterruptedException {
        return sendWithJdk("GET", path, null);
    }

    private Response sendWithJdk(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        HttpResponse<String> r = jdk.send(request(path).method(method, body).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    private Response send(String method, String path, String json) throws IOException, InterruptedException {
        if (driver == Driver.JDK) {
            return sendWithJdk(method, path, json);
        }
        RawHttpConnection pooled = idle.pollFirst();
        if (pooled != null) {
            try {
                return exchange(pooled, method, path, json);
            } catch (IOException stale) {
                // the server may have closed the idle connection: once more on a new one
            }
        }
        return exchange(new RawHttpConnection(HOST, port), method, path, json);
    }

    private Response exchange(RawHttpConnection connection, String method, String path, String json)
            throws IOException {
        try {
            Response response = connection.exchange(method, path, json);
            if (connection.reusable()) {
                idle.offerFirst(connection);
            } else {
                connection.close();
            }
            return response;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json");
    }

    /** Closes the idle connections (between servers). */
    void close() {
        RawHttpConnection c;
        while ((c = idle.pollFirst()) != null) {
            c.close();
        }
    }

    static boolean ok(Response response) {
        return response.statusCode() >= 200 && response.statusCode() < 300;
    }
}

package io.kube4j.bench.apiserver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One server's REST API through the JDK HttpClient, shared by all the bench's clients (HTTP/1.1, raw JSON). */
final class Api {
    private final HttpClient client;
    private final String base;
    private final int port;

    Api(HttpClient client, int port) {
        this.client = client;
        this.port = port;
        this.base = "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    URI uri(String path) {
        return URI.create(base + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static boolean ok(HttpResponse<?> response) {
        return response.statusCode() >= 200 && response.statusCode() < 300;
    }
}

package io.kube4j.apiserver.resourcemetrics;

import io.kube4j.apiserver.proxy.KubeletTransport;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A {@link KubeletReader} over the API server's {@link KubeletTransport} (HTTPS with the kubelet client
 * certificate under secure serving), at the address and port the node proxy uses.
 */
public final class HttpKubeletReader implements KubeletReader {

    /** metrics-server's default scrape timeout: a hung kubelet must not stall the next round. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final KubeletTransport transport;
    private final HttpClient http;
    private final Function<ObjectNode, String> host;
    private final ToIntFunction<ObjectNode> port;

    public HttpKubeletReader(KubeletTransport transport, Function<ObjectNode, String> host,
                             ToIntFunction<ObjectNode> port) {
        this.transport = transport;
        this.http = transport.httpClient(Duration.ofSeconds(5));
        this.host = host;
        this.port = port;
    }

    @Override
    public byte[] get(ObjectNode node, String path) throws IOException, InterruptedException {
        String address = host.apply(node);
        URI uri = URI.create(transport.scheme() + "://" + (address.contains(":") ? "[" + address + "]" : address)
                + ":" + port.applyAsInt(node) + path);
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode());
        }
        return response.body();
    }
}

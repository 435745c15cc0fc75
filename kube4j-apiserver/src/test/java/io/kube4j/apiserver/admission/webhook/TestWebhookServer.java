package io.kube4j.apiserver.admission.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.pki.CertificateAuthority;
import io.kube4j.apiserver.pki.CertifiedKey;
import io.kube4j.apiserver.pki.KeyAlgorithm;
import io.kube4j.apiserver.pki.Pem;
import io.kube4j.apiserver.pki.TlsContexts;
import tools.jackson.databind.node.ObjectNode;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real admission webhook for tests: HTTPS on a free loopback port, its certificate issued by a CA of its own
 * for the given names. Each path answers with a function of the AdmissionReview request; every review received
 * and every SNI name a client sent are recorded.
 */
public final class TestWebhookServer implements AutoCloseable {

    /** What a path answers: the AdmissionReview response for a request, and how long to wait first. */
    public record Answer(ObjectNode response, long delayMillis) {
    }

    public final CertifiedKey ca;
    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    public final Map<String, List<ObjectNode>> received = new ConcurrentHashMap<>();
    public final List<String> sniNames = new CopyOnWriteArrayList<>();

    /** Serves with a certificate valid for {@code names} (DNS names or IPs). */
    public TestWebhookServer(List<String> names) throws IOException {
        Instant now = Instant.now();
        ca = CertificateAuthority.selfSigned("webhook-test-ca", KeyAlgorithm.EC_P256.generate(), now,
                Duration.ofDays(1));
        KeyPair key = KeyAlgorithm.EC_P256.generate();
        CertifiedKey serving = new CertifiedKey(new CertificateAuthority(ca).issueServing("webhook", names,
                key.getPublic(), now, Duration.ofDays(1)), key.getPrivate());
        SSLContext tls = TlsContexts.client(ca.certificate(), serving);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = tls.getDefaultSSLParameters();
                parameters.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                    @Override
                    public boolean matches(SNIServerName name) {
                        sniNames.add(((SNIHostName) name).getAsciiName());
                        return true;
                    }
                }));
                params.setSSLParameters(parameters);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base64 PEM of the CA, as a caBundle holds it. */
    public String caBundle() {
        return Base64.getEncoder().encodeToString(Pem.certificate(ca.certificate()).getBytes(StandardCharsets.UTF_8));
    }

    public List<ObjectNode> received(String path) {
        return received.getOrDefault(path, List.of());
    }

    public void handle(String path, Function<ObjectNode, Answer> answer) {
        server.createContext(path, exchange -> serve(exchange, path, answer));
    }

    private void serve(HttpExchange exchange, String path, Function<ObjectNode, Answer> answer) throws IOException {
        try {
            ObjectNode review = (ObjectNode) Json.parse(exchange.getRequestBody().readAllBytes());
            review.put("x-query", String.valueOf(exchange.getRequestURI().getRawQuery()));
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(review);
            Answer result = answer.apply((ObjectNode) review.get("request"));
            if (result.delayMillis() > 0) {
                Thread.sleep(result.delayMillis());
            }
            ObjectNode body = Json.object();
            body.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
            body.set("response", result.response());
            byte[] bytes = Json.bytes(body);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the API server gave up waiting
        } finally {
            exchange.close();
        }
    }

    /** An allowing response to {@code request}, optionally with a JSONPatch. */
    public static ObjectNode allow(ObjectNode request, String jsonPatch) {
        ObjectNode response = Json.object();
        response.put("uid", Json.text(request, "uid"));
        response.put("allowed", true);
        if (jsonPatch != null) {
            response.put("patchType", "JSONPatch");
            response.put("patch", Base64.getEncoder().encodeToString(jsonPatch.getBytes(StandardCharsets.UTF_8)));
        }
        return response;
    }

    /** A denying response with {@code message} and, if above 0, {@code code}. */
    public static ObjectNode deny(ObjectNode request, int code, String message) {
        ObjectNode response = Json.object();
        response.put("uid", Json.text(request, "uid"));
        response.put("allowed", false);
        ObjectNode status = response.putObject("status");
        if (code > 0) {
            status.put("code", code);
        }
        status.put("message", message);
        return response;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

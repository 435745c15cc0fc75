package io.kube4j.runtime.conformance;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The registry v2 token server (the "realm" of a Bearer challenge): checks a user name and password
 * sent with basic auth and answers with a JWT that distribution 2.8 accepts - RS256, the signing
 * certificate in the {@code x5c} header, issuer and audience as the registry's auth.token config says.
 */
public final class TokenServer implements AutoCloseable {
    public static final String ISSUER = "kube4j-test-issuer";
    public static final String SERVICE = "kube4j-test-registry";
    private static final JsonMapper JSON = new JsonMapper();

    private final HttpServer server;
    private final TestCertificates.Pair signer;
    private final String username;
    private final String password;
    /** One line per token request: "user scope -> status". */
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private TokenServer(TestCertificates.Pair signer, String username, String password) throws IOException {
        this.signer = signer;
        this.username = username;
        this.password = password;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/token", this::token);
        server.start();
    }

    public static TokenServer start(TestCertificates.Pair signer, String username, String password) throws IOException {
        return new TokenServer(signer, username, password);
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The registry's auth section for this token server. */
    public String registryAuthYaml() {
        return "auth:\n  token:\n    realm: " + realm() + "\n    service: " + SERVICE + "\n    issuer: " + ISSUER
                + "\n    rootcertbundle: " + signer.cert() + "\n";
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String user = authenticatedUser(exchange.getRequestHeaders().getFirst("Authorization"));
            List<String> scopes = new ArrayList<>();
            String service = "";
            String query = exchange.getRequestURI().getRawQuery();
            for (String param : query == null ? new String[0] : query.split("&")) {
                int eq = param.indexOf('=');
                String name = eq < 0 ? param : param.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
                if (name.equals("scope")) {
                    scopes.add(value);
                } else if (name.equals("service")) {
                    service = value;
                }
            }
            if (user == null || !service.equals(SERVICE)) {
                requests.add((user == null ? "-" : user) + " " + scopes + " -> 401");
                send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                return;
            }
            requests.add(user + " " + scopes + " -> 200");
            String jwt = sign(user, scopes);
            send(exchange, 200, JSON.writeValueAsString(JSON.createObjectNode().put("token", jwt).put("access_token", jwt)
                    .put("expires_in", 300)));
        } catch (Exception e) {
            requests.add("error " + e);
            throw new IOException(e);
        }
    }

    private String authenticatedUser(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        return decoded.equals(username + ":" + password) ? username : null;
    }

    private String sign(String user, List<String> scopes) throws Exception {
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(signer.certDer()));
        long now = System.currentTimeMillis() / 1000;
        ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", user).put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 60).put("iat", now - 60).put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) {
            // repository:NAME:ACTIONS, where NAME itself may not contain a colon
            int first = scope.indexOf(':');
            int last = scope.lastIndexOf(':');
            if (first < 0 || last == first) {
                continue;
            }
            ObjectNode entry = access.addObject().put("type", scope.substring(0, first)).put("name", scope.substring(first + 1, last));
            ArrayNode actions = entry.putArray("actions");
            for (String action : scope.substring(last + 1).split(",")) {
                actions.add(action);
            }
        }
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String input = url.encodeToString(JSON.writeValueAsBytes(header)) + "." + url.encodeToString(JSON.writeValueAsBytes(claims));
        PrivateKey key = signer.privateKey();
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + url.encodeToString(rsa.sign());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

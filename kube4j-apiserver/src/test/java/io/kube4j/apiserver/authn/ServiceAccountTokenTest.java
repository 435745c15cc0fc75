package io.kube4j.apiserver.authn;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.pki.KeyAlgorithm;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceAccountTokenTest {

    static final KeyPair RSA = KeyAlgorithm.RSA_2048.generate();
    static final String ISSUER = ServiceAccountTokens.DEFAULT_ISSUER;

    final FakeLookup lookup = new FakeLookup();
    final ObjectNode sa = lookup.put("serviceaccounts", FakeLookup.object("default", "builder", "sa-uid-1"));
    final ObjectNode pod = lookup.put("pods", FakeLookup.object("default", "web-0", "pod-uid-1"));

    TokenIssuer issuer(KeyPair key, Clock clock) {
        return new TokenIssuer(key, ISSUER, List.of(ISSUER), clock);
    }

    ServiceAccountTokenAuthenticator authenticator(KeyPair key) {
        return new ServiceAccountTokenAuthenticator(List.of(key.getPublic()), List.of(ISSUER), List.of(ISSUER), lookup,
                Clock.systemUTC());
    }

    String podToken(KeyPair key, Clock clock, List<String> audiences) {
        return issuer(key, clock).issueBound(sa, audiences, 3600,
                new TokenIssuer.BoundObject("Pod", "web-0", "pod-uid-1"), null).token();
    }

    @Test
    void boundTokenAuthenticatesAsTheServiceAccountWithPodExtras() {
        AuthenticationResult result = authenticator(RSA).authenticateToken(podToken(RSA, Clock.systemUTC(), List.of()),
                List.of());

        assertThat(result.isAuthenticated()).isTrue();
        UserInfo user = result.user();
        assertThat(user.name()).isEqualTo("system:serviceaccount:default:builder");
        assertThat(user.uid()).isEqualTo("sa-uid-1");
        assertThat(user.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:default");
        assertThat(user.extra().get(ServiceAccountTokens.EXTRA_POD_NAME)).containsExactly("web-0");
        assertThat(user.extra().get(ServiceAccountTokens.EXTRA_POD_UID)).containsExactly("pod-uid-1");
        assertThat(user.extra().get(ServiceAccountTokens.EXTRA_CREDENTIAL_ID).get(0)).startsWith("JTI=");
    }

    @Test
    void es256TokensWork() {
        KeyPair ec = KeyAlgorithm.EC_P256.generate();
        String token = podToken(ec, Clock.systemUTC(), List.of());
        assertThat(Jwt.parse(token).header().get("alg").asString()).isEqualTo("ES256");
        assertThat(authenticator(ec).authenticateToken(token, List.of()).isAuthenticated()).isTrue();
        assertThat(authenticator(RSA).authenticateToken(token, List.of()).isFailure()).isTrue();
    }

    @Test
    void tamperedTokenIsRefused() {
        String token = podToken(RSA, Clock.systemUTC(), List.of());
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("builder", "admin00");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        AuthenticationResult result = authenticator(RSA).authenticateToken(tampered, List.of());
        assertThat(result.isAuthenticated()).isFalse();
        assertThat(result.failure()).contains("signature");
    }

    @Test
    void unsignedAlgNoneTokenIsRefused() {
        String token = podToken(RSA, Clock.systemUTC(), List.of());
        String[] parts = token.split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        assertThat(authenticator(RSA).authenticateToken(none + "." + parts[1] + ".", List.of()).isAuthenticated())
                .isFalse();
        assertThat(authenticator(RSA).authenticateToken(none + "." + parts[1] + "." + parts[2], List.of())
                .isAuthenticated()).isFalse();
    }

    @Test
    void expiredTokenIsRefused() {
        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        AuthenticationResult result = authenticator(RSA).authenticateToken(podToken(RSA, twoHoursAgo, List.of()),
                List.of());
        assertThat(result.failure()).contains("expired");
    }

    @Test
    void tokenNotYetValidIsRefused() {
        Clock inAnHour = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);
        assertThat(authenticator(RSA).authenticateToken(podToken(RSA, inAnHour, List.of()), List.of()).failure())
                .contains("not valid yet");
    }

    @Test
    void wrongAudienceIsRefused() {
        String token = podToken(RSA, Clock.systemUTC(), List.of("vault"));
        assertThat(authenticator(RSA).authenticateToken(token, List.of()).failure()).contains("audiences");
        // a TokenReview asking for the "vault" audience accepts it
        assertThat(authenticator(RSA).authenticateToken(token, List.of("vault")).isAuthenticated()).isTrue();
    }

    @Test
    void deletedOrRecreatedPodInvalidatesTheToken() {
        String token = podToken(RSA, Clock.systemUTC(), List.of());
        lookup.put("pods", FakeLookup.object("default", "web-0", "pod-uid-2"));
        assertThat(authenticator(RSA).authenticateToken(token, List.of()).failure()).contains("uid");
        lookup.remove("pods", "default", "web-0");
        assertThat(authenticator(RSA).authenticateToken(token, List.of()).failure()).contains("no longer exists");
    }

    @Test
    void podInGracefulTerminationKeepsItsTokenUntilTheDeadline() {
        String token = podToken(RSA, Clock.systemUTC(), List.of());
        ((ObjectNode) pod.get("metadata")).put("deletionTimestamp", Instant.now().plusSeconds(30).toString());
        assertThat(authenticator(RSA).authenticateToken(token, List.of()).isAuthenticated()).isTrue();
        ((ObjectNode) pod.get("metadata")).put("deletionTimestamp", Instant.now().minusSeconds(1).toString());
        assertThat(authenticator(RSA).authenticateToken(token, List.of()).isAuthenticated()).isFalse();
    }

    @Test
    void deletedServiceAccountInvalidatesTheToken() {
        String token = podToken(RSA, Clock.systemUTC(), List.of());
        lookup.remove("serviceaccounts", "default", "builder");
        assertThat(authenticator(RSA).authenticateToken(token, List.of()).failure()).contains("not found");
    }

    @Test
    void tokenOfAnotherIssuerIsNotOurs() {
        TokenIssuer foreign = new TokenIssuer(RSA, "https://elsewhere", List.of(ISSUER), Clock.systemUTC());
        String token = foreign.issueBound(sa, List.of(), 3600, null, null).token();
        AuthenticationResult result = authenticator(RSA).authenticateToken(token, List.of());
        assertThat(result.isAuthenticated()).isFalse();
    }

    @Test
    void legacyTokenIsValidWhileItsSecretHoldsIt() {
        String token = issuer(RSA, Clock.systemUTC()).issueLegacy("default", "builder", "sa-uid-1", "builder-token");
        ObjectNode secret = FakeLookup.object("default", "builder-token", "s-1");
        secret.putObject("data").put("token",
                Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        lookup.put("secrets", secret);

        assertThat(authenticator(RSA).authenticateToken(token, List.of()).user().name())
                .isEqualTo("system:serviceaccount:default:builder");
        lookup.remove("secrets", "default", "builder-token");
        assertThat(authenticator(RSA).authenticateToken(token, List.of()).isAuthenticated()).isFalse();
    }

    @Test
    void garbageIsNotApplicableAndNeverThrows() {
        ServiceAccountTokenAuthenticator authenticator = authenticator(RSA);
        for (String junk : List.of("", ".", "..", "a.b.c", "e30.e30.", "e30.e30.e30", "%%%.$$$.***",
                "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.AAAA", "x".repeat(100_000))) {
            assertThat(authenticator.authenticateToken(junk, List.of()).isAuthenticated()).as(junk).isFalse();
        }
    }

    @Test
    void tokenRequestDefaultsAndValidates() {
        TokenIssuer issuer = issuer(RSA, Clock.systemUTC());
        ObjectNode request = Json.object();
        request.putObject("spec").putObject("boundObjectRef").put("kind", "Pod").put("apiVersion", "v1")
                .put("name", "web-0").put("uid", "pod-uid-1");

        ObjectNode response = issuer.tokenRequest(sa, request, lookup);

        assertThat(response.path("spec").path("expirationSeconds").asLong()).isEqualTo(3600);
        assertThat(response.path("spec").path("audiences").get(0).asString()).isEqualTo(ISSUER);
        String token = response.path("status").path("token").asString();
        Instant expiry = Instant.parse(response.path("status").path("expirationTimestamp").asString());
        assertThat(Duration.between(Instant.now(), expiry)).isBetween(Duration.ofMinutes(55), Duration.ofMinutes(61));
        assertThat(authenticator(RSA).authenticateToken(token, List.of()).user().extra())
                .containsKey(ServiceAccountTokens.EXTRA_POD_NAME);

        ObjectNode tooShort = Json.object();
        tooShort.putObject("spec").put("expirationSeconds", 599);
        assertThatThrownBy(() -> issuer.tokenRequest(sa, tooShort, lookup))
                .isInstanceOf(StatusException.class)
                .hasMessageContaining("may not specify a duration less than 10 minutes")
                .extracting(e -> ((StatusException) e).code()).isEqualTo(422);

        ObjectNode staleUid = Json.object();
        staleUid.putObject("spec").putObject("boundObjectRef").put("kind", "Pod").put("name", "web-0")
                .put("uid", "other");
        assertThatThrownBy(() -> issuer.tokenRequest(sa, staleUid, lookup)).isInstanceOf(StatusException.class);
    }

    @Test
    void tokenReviewReportsTheUser() {
        String token = podToken(RSA, Clock.systemUTC(), List.of());
        ObjectNode review = Json.object();
        review.putObject("spec").put("token", token);
        ObjectNode result = TokenReviews.evaluate(review,
                new UnionTokenAuthenticator(List.of(authenticator(RSA))), List.of(ISSUER));
        assertThat(result.path("status").path("authenticated").asBoolean()).isTrue();
        assertThat(result.path("status").path("user").path("username").asString())
                .isEqualTo("system:serviceaccount:default:builder");
        assertThat(result.path("status").path("user").path("groups").toString()).contains("system:authenticated");

        review.putObject("spec").put("token", token + "x");
        ObjectNode refused = TokenReviews.evaluate(review,
                new UnionTokenAuthenticator(List.of(authenticator(RSA))), List.of(ISSUER));
        assertThat(refused.path("status").path("authenticated").asBoolean(false)).isFalse();
        assertThat(refused.path("status").path("error").asString()).isNotEmpty();
    }
}

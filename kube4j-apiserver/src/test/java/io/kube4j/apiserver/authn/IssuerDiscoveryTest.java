package io.kube4j.apiserver.authn;

import io.kube4j.apiserver.pki.KeyAlgorithm;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IssuerDiscoveryTest {

    @Test
    void jwksPublishesKeysThatVerifyIssuedTokens() throws Exception {
        KeyPair rsa = KeyAlgorithm.RSA_2048.generate();
        KeyPair ec = KeyAlgorithm.EC_P256.generate();
        JsonNode jwks = IssuerDiscovery.jwks(List.of(rsa.getPublic(), ec.getPublic()));

        JsonNode rsaJwk = jwks.path("keys").get(0);
        assertThat(rsaJwk.path("kty").asString()).isEqualTo("RSA");
        assertThat(rsaJwk.path("kid").asString()).isEqualTo(Jwt.keyId(rsa.getPublic()));
        PublicKey rebuilt = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(rsaJwk.path("n").asString())),
                new BigInteger(1, Base64.getUrlDecoder().decode(rsaJwk.path("e").asString()))));
        assertThat(((RSAPublicKey) rebuilt).getModulus()).isEqualTo(((RSAPublicKey) rsa.getPublic()).getModulus());

        JsonNode ecJwk = jwks.path("keys").get(1);
        assertThat(ecJwk.path("crv").asString()).isEqualTo("P-256");
        assertThat(Base64.getUrlDecoder().decode(ecJwk.path("x").asString())).hasSize(32);

        String token = new TokenIssuer(rsa, "https://kubernetes.default.svc", List.of("a"),
                java.time.Clock.systemUTC()).issueLegacy("ns", "sa", "uid", "secret");
        assertThat(Jwt.parse(token).header().path("kid").asString()).isEqualTo(rsaJwk.path("kid").asString());
        assertThat(Jwt.parse(token).verify(rebuilt)).isTrue();
        assertThat(IssuerDiscovery.openIdConfiguration("https://kubernetes.default.svc",
                "https://10.43.0.1/openid/v1/jwks").path("issuer").asString())
                .isEqualTo("https://kubernetes.default.svc");
    }
}

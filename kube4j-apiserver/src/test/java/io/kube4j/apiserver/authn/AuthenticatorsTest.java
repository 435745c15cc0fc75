package io.kube4j.apiserver.authn;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.PkiOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthenticatorsTest {

    @TempDir
    static Path dir;
    static ClusterPki pki;
    static ClusterPki foreign;

    @BeforeAll
    static void pki() throws Exception {
        pki = ClusterPki.loadOrCreate(dir.resolve("a"), PkiOptions.defaults());
        foreign = ClusterPki.loadOrCreate(dir.resolve("b"), PkiOptions.defaults());
    }

    static AuthenticationRequest request(Map<String, String> headers, List<java.security.cert.X509Certificate> certs) {
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(), v));
        return new AuthenticationRequest(lower::get, certs);
    }

    @Test
    void x509MapsCommonNameAndOrganizations() {
        X509Authenticator x509 = new X509Authenticator(List.of(pki.caCertificate()), Clock.systemUTC());
        UserInfo admin = x509.authenticate(request(Map.of(), List.of(pki.admin().certificate()))).user();
        assertThat(admin.name()).isEqualTo("system:admin");
        assertThat(admin.groups()).containsExactly("system:masters");
        UserInfo kubelet = x509.authenticate(request(Map.of(), List.of(pki.kubelet("n1").certificate()))).user();
        assertThat(kubelet.nodeName()).isEqualTo("n1");

        assertThat(x509.authenticate(request(Map.of(), List.of(foreign.admin().certificate()))).isFailure()).isTrue();
        assertThat(x509.authenticate(request(Map.of(), List.of(pki.serving().certificate()))).isFailure())
                .as("a serving certificate is no client credential").isTrue();
        assertThat(x509.authenticate(request(Map.of(), List.of())).isAuthenticated()).isFalse();
    }

    @Test
    void tokenFileParsesQuotedGroups() {
        TokenFileAuthenticator file = TokenFileAuthenticator.parse("""
                # comment
                t0k3n,jane,uid-1,"devs,ops"
                other,bob,uid-2
                """);
        UserInfo jane = file.authenticateToken("t0k3n", List.of()).user();
        assertThat(jane).isEqualTo(new UserInfo("jane", "uid-1", List.of("devs", "ops"), Map.of()));
        assertThat(file.authenticateToken("other", List.of()).user().groups()).isEmpty();
        assertThat(file.authenticateToken("nope", List.of()).isAuthenticated()).isFalse();
        assertThatThrownBy(() -> TokenFileAuthenticator.parse("onlytoken,user"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bootstrapTokens() {
        FakeLookup lookup = new FakeLookup();
        String token = BootstrapTokens.generate();
        assertThat(token).matches("[a-z0-9]{6}\\.[a-z0-9]{16}");
        ObjectNode secret = BootstrapTokens.secret(token, Instant.now(), Duration.ofHours(1), null);
        lookup.put("secrets", secret);
        BootstrapTokenAuthenticator authenticator = new BootstrapTokenAuthenticator(lookup, Clock.systemUTC());

        UserInfo user = authenticator.authenticateToken(token, List.of()).user();
        assertThat(user.name()).isEqualTo("system:bootstrap:" + token.substring(0, 6));
        assertThat(user.groups()).contains("system:bootstrappers", "system:bootstrappers:kube4j:default-node-token");

        String wrongSecret = token.substring(0, 7) + "0000000000000000";
        assertThat(authenticator.authenticateToken(wrongSecret, List.of()).isAuthenticated()).isFalse();

        BootstrapTokenAuthenticator later = new BootstrapTokenAuthenticator(lookup,
                Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
        assertThat(later.authenticateToken(token, List.of()).failure()).contains("expired");
    }

    @Test
    void chainAddsAuthenticatedGroupAnonymousOnlyWithoutCredentials() {
        TokenFileAuthenticator file = TokenFileAuthenticator.parse("secret,jane,1,devs");
        RequestAuthenticator chain = new RequestAuthenticator(
                List.of(new X509Authenticator(List.of(pki.caCertificate()), Clock.systemUTC()), file), true);

        assertThat(chain.authenticate(request(Map.of("Authorization", "Bearer secret"), List.of())).groups())
                .containsExactly("devs", "system:authenticated");
        assertThat(chain.authenticate(request(Map.of(), List.of(pki.admin().certificate()))).groups())
                .containsExactly("system:masters", "system:authenticated");
        assertThat(chain.authenticate(request(Map.of(), List.of()))).isEqualTo(UserInfo.ANONYMOUS);

        for (Map<String, String> bad : List.of(Map.of("Authorization", "Bearer wrong"),
                Map.of("Authorization", "Basic amFuZTpw"), Map.of("Authorization", "Bearer "))) {
            assertThatThrownBy(() -> chain.authenticate(request(bad, List.of())))
                    .isInstanceOf(StatusException.class)
                    .extracting(e -> ((StatusException) e).code()).isEqualTo(401);
        }
        assertThatThrownBy(() -> chain.authenticate(request(Map.of(), List.of(foreign.admin().certificate()))))
                .isInstanceOf(StatusException.class);

        RequestAuthenticator noAnonymous = new RequestAuthenticator(List.of(file), false);
        assertThatThrownBy(() -> noAnonymous.authenticate(request(Map.of(), List.of())))
                .isInstanceOf(StatusException.class);
    }
}

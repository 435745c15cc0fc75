package io.kube4j.apiserver.registry;

import io.kube4j.api.status.StatusException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContinueTokenTest {

    @Test
    void roundTripsInUpstreamsFormat() {
        ContinueToken token = new ContinueToken(42, "ns/name\u0000");
        String encoded = token.encode();
        String json = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"v\":\"meta.k8s.io/v1\",\"rv\":42,\"start\":\"ns/name\\u0000\"}");
        assertThat(ContinueToken.decode(encoded)).isEqualTo(token);
    }

    @Test
    void garbageAndEscapesAreBadRequests() {
        assertThatThrownBy(() -> ContinueToken.decode("garbage!"))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
        String escaping = Base64.getUrlEncoder().encodeToString(
                "{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"../secrets/\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ContinueToken.decode(escaping)).isInstanceOf(StatusException.class);
    }
}

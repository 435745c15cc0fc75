package io.kube4j.kubelet.server.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate's decisions with fake reviews: mapping, messages, caching, and what an unreachable API server means. */
class KubeletAuthTest {

    static final User ALICE = new User("alice", "u1", List.of("dev", "system:authenticated"), null);

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void pathsMapToUpstreamsSubresourcesAndMethodsToVerbs() {
        assertThat(RequestAttributes.of("GET", "/containerLogs/ns/p/c", "n1"))
                .isEqualTo(new RequestAttributes("get", "nodes", "proxy", "n1", "/containerLogs/ns/p/c"));
        assertThat(RequestAttributes.of("POST", "/exec/ns/p/c", "n1").verb()).isEqualTo("create");
        assertThat(RequestAttributes.of("GET", "/portForward/ns/p", "n1").subresource()).isEqualTo("proxy");
        assertThat(RequestAttributes.of("GET", "/run/ns/p/c", "n1").subresource()).isEqualTo("proxy");
        assertThat(RequestAttributes.of("GET", "/stats/summary", "n1").subresource()).isEqualTo("stats");
        assertThat(RequestAttributes.of("GET", "/metrics", "n1").subresource()).isEqualTo("metrics");
        assertThat(RequestAttributes.of("GET", "/metrics/resource", "n1").subresource()).isEqualTo("metrics");
        assertThat(RequestAttributes.of("GET", "/logs/syslog", "n1").subresource()).isEqualTo("log");
        assertThat(RequestAttributes.of("GET", "/metricsfoo", "n1").subresource()).isEqualTo("proxy");
        assertThat(RequestAttributes.of("HEAD", "/pods", "n1").verb()).isEqualTo("get");
        assertThat(RequestAttributes.of("DELETE", "/pods", "n1").verb()).isEqualTo("delete");
    }

    @Test
    void bearerTokensAreReadAsUpstreamReadsThem() {
        assertThat(KubeletAuth.bearerToken("Bearer abc")).isEqualTo("abc");
        assertThat(KubeletAuth.bearerToken("bearer abc")).isEqualTo("abc");
        assertThat(KubeletAuth.bearerToken("Basic abc")).isNull();
        assertThat(KubeletAuth.bearerToken("Bearer")).isNull();
        assertThat(KubeletAuth.bearerToken("Bearer a b")).isNull();
        assertThat(KubeletAuth.bearerToken(null)).isNull();
    }

    @Test
    void tokenAndAccessReviewsAreCachedForAWhile() {
        ManualClock clock = new ManualClock();
        AtomicInteger tokenReviews = new AtomicInteger();
        List<RequestAttributes> asked = new ArrayList<>();
        KubeletAuth auth = new KubeletAuth(null, token -> {
            tokenReviews.incrementAndGet();
            return token.equals("good") ? Optional.of(ALICE) : Optional.empty();
        }, (user, attributes) -> {
            asked.add(attributes);
            return attributes.subresource().equals("proxy");
        }, "n1", clock);

        assertThat(auth.check("GET", "/pods", List.of(), "Bearer good").allowed()).isTrue();
        assertThat(auth.check("GET", "/pods", List.of(), "Bearer good").allowed()).isTrue();
        assertThat(tokenReviews).hasValue(1);
        assertThat(asked).hasSize(1);
        KubeletAuth.Decision metrics = auth.check("GET", "/metrics/resource", List.of(), "Bearer good");
        assertThat(metrics.status()).isEqualTo(403);
        assertThat(metrics.message()).isEqualTo("Forbidden (user=alice, verb=get, resource=nodes, subresource=metrics)");
        assertThat(auth.check("GET", "/pods", List.of(), "Bearer bad").status()).isEqualTo(401);

        clock.now = clock.now.plus(Duration.ofMinutes(3));
        assertThat(auth.check("GET", "/pods", List.of(), "Bearer good").allowed()).isTrue();
        assertThat(tokenReviews).hasValue(3);
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        auth.check("GET", "/pods", List.of(), "Bearer good");
        assertThat(asked.stream().filter(a -> a.subresource().equals("proxy"))).hasSize(2);
    }

    @Test
    void anApiServerThatCannotBeAskedMeansUnauthorizedOrAnAuthorizationError() {
        KubeletAuth noTokenReview = new KubeletAuth(null, token -> {
            throw new IllegalStateException("connection refused");
        }, (user, attributes) -> true, "n1", new ManualClock());
        assertThat(noTokenReview.check("GET", "/pods", List.of(), "Bearer t").status()).isEqualTo(401);

        KubeletAuth noAccessReview = new KubeletAuth(null, token -> Optional.of(ALICE), (user, attributes) -> {
            throw new IllegalStateException("connection refused");
        }, "n1", new ManualClock());
        KubeletAuth.Decision decision = noAccessReview.check("POST", "/exec/a/b/c", List.of(), "Bearer t");
        assertThat(decision.status()).isEqualTo(500);
        assertThat(decision.message())
                .isEqualTo("Authorization error (user=alice, verb=create, resource=nodes, subresource=proxy)");
    }

    @Test
    void noCredentialsNeverReachesTheReviews() {
        KubeletAuth auth = new KubeletAuth(null, token -> {
            throw new AssertionError("no token to review");
        }, (user, attributes) -> {
            throw new AssertionError("nobody to authorize");
        }, "n1", new ManualClock());
        assertThat(auth.check("GET", "/healthz", List.of(), null).status()).isEqualTo(401);
    }
}

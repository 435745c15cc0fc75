package io.kube4j.controllers.clientbuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.controllers.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceAccountTokenSourceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean();

    private ServiceAccountTokenSource.IssuedToken issue() {
        if (failing.get()) {
            throw new IllegalStateException("API server unavailable");
        }
        return new ServiceAccountTokenSource.IssuedToken("token-" + issued.incrementAndGet(),
                clock.instant().plus(Duration.ofMinutes(60)));
    }

    @Test
    void theFirstTokenIsFetchedAtOnceAndKeptUntilFourFifthsOfItsLife() {
        ServiceAccountTokenSource source = new ServiceAccountTokenSource("sa", this::issue, clock);
        assertThat(issued).hasValue(1);
        assertThat(source.renewAt()).isEqualTo(Instant.parse("2026-01-01T00:48:00Z"));
        clock.advance(Duration.ofMinutes(47));
        assertThat(source.getToken()).isEqualTo("token-1");
        clock.advance(Duration.ofMinutes(1));
        assertThat(source.getToken()).isEqualTo("token-2");
        assertThat(source.renewAt()).isEqualTo(Instant.parse("2026-01-01T01:36:00Z"));
        assertThat(source.getToken()).isEqualTo("token-2");
    }

    @Test
    void aFailedRenewalKeepsTheOldTokenUntilItExpires() {
        ServiceAccountTokenSource source = new ServiceAccountTokenSource("sa", this::issue, clock);
        failing.set(true);
        clock.advance(Duration.ofMinutes(50));
        assertThat(source.getToken()).isEqualTo("token-1");
        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(source::getToken).hasMessageContaining("unavailable");
        failing.set(false);
        assertThat(source.getToken()).isEqualTo("token-2");
    }

    @Test
    void aServerThatIssuesNothingFailsTheStart() {
        failing.set(true);
        assertThatThrownBy(() -> new ServiceAccountTokenSource("sa", this::issue, clock))
                .hasMessageContaining("unavailable");
    }
}

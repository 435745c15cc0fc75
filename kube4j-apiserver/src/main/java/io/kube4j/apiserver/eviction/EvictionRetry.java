package io.kube4j.apiserver.eviction;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Upstream's EvictionsRetry: up to 20 attempts of a write that conflicts with other clients, 500 ms apart with 10 %
 * jitter (factor 1, so the pause does not grow). The pause gives the other writer (usually the disruption controller
 * writing the budget's status) time to finish, where retrying at once would read the same contended object again.
 */
final class EvictionRetry {
    static final int STEPS = 20;
    static final Duration PAUSE = Duration.ofMillis(500);
    static final double JITTER = 0.1;

    /** How a pause is taken; tests watch the attempts through it instead of sleeping. */
    interface Pauser {
        void pause(Duration duration) throws InterruptedException;
    }

    static final EvictionRetry UPSTREAM = new EvictionRetry(d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));

    private final Pauser pauser;

    EvictionRetry(Pauser pauser) {
        this.pauser = pauser;
    }

    /** Whether attempt {@code attempt} (from 1) may be followed by another one. */
    boolean mayRetryAfter(int attempt) {
        return attempt < STEPS;
    }

    /** Waits before the next attempt: 500 ms plus up to 10 % more, as wait.Jitter. */
    void pause() {
        long base = PAUSE.toNanos();
        long jittered = base + (long) (ThreadLocalRandom.current().nextDouble() * JITTER * base);
        try {
            pauser.pause(Duration.ofNanos(jittered));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry an eviction", e);
        }
    }
}

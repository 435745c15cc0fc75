package io.kube4j.controllers.framework;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-item exponential backoff as client-go's ItemExponentialFailureRateLimiter: base * 2^failures,
 * capped, so a broken object does not spin a worker while healthy objects keep flowing.
 */
public final class ExponentialFailureRateLimiter<K> implements RateLimiter<K> {
    private final long baseNanos;
    private final long maxNanos;
    private final Map<K, Integer> failures = new HashMap<>();

    public ExponentialFailureRateLimiter(Duration base, Duration max) {
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
    }

    public static <K> ExponentialFailureRateLimiter<K> controllerDefault() {
        return new ExponentialFailureRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000));
    }

    @Override
    public synchronized Duration when(K item) {
        int exp = failures.getOrDefault(item, 0);
        failures.put(item, exp + 1);
        if (exp >= 62) {
            return Duration.ofNanos(maxNanos);
        }
        double backoff = baseNanos * Math.pow(2, exp);
        if (backoff > maxNanos) {
            return Duration.ofNanos(maxNanos);
        }
        return Duration.ofNanos((long) backoff);
    }

    @Override
    public synchronized void forget(K item) {
        failures.remove(item);
    }

    @Override
    public synchronized int numRequeues(K item) {
        return failures.getOrDefault(item, 0);
    }
}

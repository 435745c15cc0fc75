package io.kube4j.kubelet.pod;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's flowcontrol.Backoff as the kubelet uses it for CrashLoopBackOff and ImagePullBackOff: the delay starts
 * at 10 s and doubles up to 5 min; an entry untouched for twice the maximum starts over.
 */
public final class BackOff {
    private record Entry(Duration delay, Instant lastUpdate) {
    }

    private final Duration initial;
    private final Duration max;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public BackOff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    public static BackOff crashLoop() {
        return new BackOff(Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    /** Records one more failure at {@code now}; returns the delay that now applies. */
    public Duration next(String key, Instant now) {
        return entries.compute(key, (k, e) -> {
            if (e == null || hasExpired(e, now)) {
                return new Entry(initial, now);
            }
            Duration doubled = e.delay().multipliedBy(2);
            return new Entry(doubled.compareTo(max) > 0 ? max : doubled, now);
        }).delay();
    }

    /** Whether {@code now} is still within the current delay counted from {@code since} (e.g. the last exit). */
    public boolean isInBackOffSince(String key, Instant since, Instant now) {
        Entry e = entries.get(key);
        if (e == null || hasExpired(e, now)) {
            return false;
        }
        return Duration.between(since, now).compareTo(e.delay()) < 0;
    }

    /** How long until {@code since + delay}; zero when not backing off. */
    public Duration remaining(String key, Instant since, Instant now) {
        Entry e = entries.get(key);
        if (e == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, since.plus(e.delay()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    public Duration current(String key) {
        Entry e = entries.get(key);
        return e == null ? Duration.ZERO : e.delay();
    }

    public void reset(String key) {
        entries.remove(key);
    }

    public void forgetPrefix(String prefix) {
        entries.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private boolean hasExpired(Entry e, Instant now) {
        return Duration.between(e.lastUpdate(), now).compareTo(max.multipliedBy(2)) > 0;
    }
}

package io.kube4j.kubelet.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers API server answers for a while, as upstream's kubelet does (authentication 2 min; authorization 5 min
 * when allowed, 30 s when denied), so a stream of log requests is not a stream of reviews.
 */
final class ReviewCache<K, V> {
    private static final int MAX_ENTRIES = 4096;

    private record Entry<V>(V value, Instant expires) {
    }

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Function<V, Duration> ttl;
    private final Clock clock;

    ReviewCache(Function<V, Duration> ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    V get(K key, Function<K, V> load) {
        Instant now = clock.instant();
        Entry<V> cached = entries.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.value();
        }
        V value = load.apply(key);
        if (entries.size() >= MAX_ENTRIES) {
            entries.entrySet().removeIf(e -> !now.isBefore(e.getValue().expires()));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key, new Entry<>(value, now.plus(ttl.apply(value))));
        return value;
    }
}

package io.kube4j.runtime.streaming;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Single-use tokens for prepared sessions; as upstream, a token not redeemed within a minute expires. */
final class RequestCache {
    private static final long TTL_NANOS = 60_000_000_000L;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(StreamRequest request, long expiresAt) {
    }

    String put(StreamRequest request) {
        long now = System.nanoTime();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (it.next().expiresAt() < now) {
                it.remove();
            }
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        entries.put(token, new Entry(request, now + TTL_NANOS));
        return token;
    }

    StreamRequest take(String token) {
        Entry entry = entries.remove(token);
        return entry == null || entry.expiresAt() < System.nanoTime() ? null : entry.request();
    }
}

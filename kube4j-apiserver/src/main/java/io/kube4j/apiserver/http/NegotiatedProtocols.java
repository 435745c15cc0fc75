package io.kube4j.apiserver.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts connections per negotiated application protocol, so that operators and tests can see h2 in use. */
final class NegotiatedProtocols {

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    void record(String protocol) {
        counts.computeIfAbsent(protocol, p -> new LongAdder()).increment();
    }

    Map<String, Long> counts() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((protocol, count) -> snapshot.put(protocol, count.sum()));
        return snapshot;
    }
}

package io.kube4j.bench.apiserver;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The events each watch of a watcher process received: an event counts only when it is a complete JSON event that
 * names an object of the burst this watch has not seen yet, and a watch is fed (with the wall-clock time of that
 * moment) once it has seen every object of the burst. Each watch must be fed from one thread at a time; different
 * watches may be fed from different threads.
 */
final class WatchTally {
    /** Called once per watch, on the thread that delivered its last missing event. */
    interface FedListener {
        void fed(int watch, long epochMillis);
    }

    private final int events;
    private final BitSet[] seen;
    private final int[] distinct;
    private final FedListener listener;
    private final AtomicInteger fed = new AtomicInteger();
    private final AtomicLong valid = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicReference<String> firstProblem = new AtomicReference<>();

    WatchTally(int watches, int events, FedListener listener) {
        this.events = events;
        this.seen = new BitSet[watches];
        this.distinct = new int[watches];
        for (int i = 0; i < watches; i++) {
            seen[i] = new BitSet(events);
        }
        this.listener = listener;
    }

    /** One line or message a watch received, checked with the caller's (per-thread) checker. */
    void event(int watch, WatchEventCheck check, byte[] buf, int off, int len) {
        if (len == 0) {
            return; // a blank keep-alive line carries no event
        }
        int index = check.check(buf, off, len);
        if (index < 0) {
            rejected.incrementAndGet();
            firstProblem.compareAndSet(null, "watch " + watch + ": " + check.problem());
            return;
        }
        if (seen[watch].get(index)) {
            duplicates.incrementAndGet();
            return;
        }
        seen[watch].set(index);
        valid.incrementAndGet();
        if (++distinct[watch] == events) {
            fed.incrementAndGet();
            listener.fed(watch, System.currentTimeMillis());
        }
    }

    /** Watches that have seen every object of the burst. */
    int fed() {
        return fed.get();
    }

    /** Events that counted: complete, of the burst, first of their name on their watch. */
    long valid() {
        return valid.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    /** Lines that were not a complete ADDED event of a burst object. */
    long rejected() {
        return rejected.get();
    }

    String firstProblem() {
        return firstProblem.get();
    }
}

package io.kube4j.bench.apiserver;

import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The events each watch of a watcher process received: an event counts only when it is a complete JSON ADDED event
 * that names an object of the burst this watch has not seen yet, with a resourceVersion above the watch's previous
 * event's, and a watch is fed (with the wall-clock time of that moment) once it has seen every object of the burst.
 * Each watch must be fed from one thread at a time; different watches may be fed from different threads.
 *
 * <p>Every watch of a process sees the same events in the same order (they watch the same thing from the same
 * revision), so the full check of a line runs once per position: the first watch to receive its k-th line checks
 * it with {@link WatchEventCheck} and keeps a copy; every other watch's k-th line counts as that line only if it is
 * byte for byte the same (a vectorised compare, no parsing), and is fully checked otherwise. Each line is thus
 * verified, just not parsed a thousand times.
 */
final class WatchTally {
    /** Called once per watch, on the thread that delivered its last missing event. */
    interface FedListener {
        void fed(int watch, long epochMillis);
    }

    /** A line that passed the full check, and what the check found in it. */
    private record CheckedLine(byte[] bytes, int index, long resourceVersion) {
    }

    private final int events;
    private final BitSet[] seen;
    private final int[] distinct;
    /** Per watch: lines received so far, which is the position of its next line in {@link #checked}. */
    private final int[] position;
    /** Per watch: the resourceVersion of its last counted event. */
    private final long[] lastResourceVersion;
    /** The checked line at each position, set by the first watch to check one there; at most one per event. */
    private final AtomicReferenceArray<CheckedLine> checked;
    private final FedListener listener;
    private final AtomicInteger fed = new AtomicInteger();
    private final AtomicLong valid = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong fullChecks = new AtomicLong();
    private final AtomicReference<String> firstProblem = new AtomicReference<>();

    WatchTally(int watches, int events, FedListener listener) {
        this.events = events;
        this.seen = new BitSet[watches];
        this.distinct = new int[watches];
        this.position = new int[watches];
        this.lastResourceVersion = new long[watches];
        this.checked = new AtomicReferenceArray<>(events);
        for (int i = 0; i < watches; i++) {
            seen[i] = new BitSet(events);
        }
        this.listener = listener;
    }

    /**
     * Counts the watch's next line if it starts at {@code buf[off]}, is the line already checked at its position
     * and is followed by its line end within {@code buf[off, off + available)}; returns the line's length (without
     * the newline), or -1 with nothing counted: the caller then splits the line itself and hands it to
     * {@link #event}. A checked line holds no newline (it was split at one), so matching it also proves where the
     * line ends.
     */
    int knownLine(int watch, byte[] buf, int off, int available) {
        int k = position[watch];
        CheckedLine known = k < events ? checked.get(k) : null;
        if (known == null) {
            return -1;
        }
        byte[] line = known.bytes();
        int len = line.length;
        if (available <= len || buf[off + len] != '\n'
                || !Arrays.equals(line, 0, len, buf, off, off + len)) {
            return -1;
        }
        position[watch] = k + 1;
        count(watch, known.index(), known.resourceVersion());
        return len;
    }

    /** One line or message a watch received, checked with the caller's (per-thread) checker. */
    void event(int watch, WatchEventCheck check, byte[] buf, int off, int len) {
        if (len == 0) {
            return; // a blank keep-alive line carries no event
        }
        int k = position[watch]++;
        CheckedLine known = k < events ? checked.get(k) : null;
        if (known != null && known.bytes().length == len && Arrays.equals(known.bytes(), 0, len, buf, off, off + len)) {
            count(watch, known.index(), known.resourceVersion());
            return;
        }
        fullChecks.incrementAndGet();
        int index = check.check(buf, off, len);
        if (index < 0) {
            reject(watch, check.problem());
            return;
        }
        long rv = check.resourceVersion();
        if (known == null && k < events) {
            checked.compareAndSet(k, null, new CheckedLine(Arrays.copyOfRange(buf, off, off + len), index, rv));
        }
        count(watch, index, rv);
    }

    private void count(int watch, int index, long resourceVersion) {
        if (seen[watch].get(index)) {
            duplicates.incrementAndGet();
            return;
        }
        if (resourceVersion <= lastResourceVersion[watch]) {
            reject(watch, "resourceVersion " + resourceVersion + " after " + lastResourceVersion[watch]
                    + " (events out of order)");
            return;
        }
        lastResourceVersion[watch] = resourceVersion;
        seen[watch].set(index);
        valid.incrementAndGet();
        if (++distinct[watch] == events) {
            fed.incrementAndGet();
            listener.fed(watch, System.currentTimeMillis());
        }
    }

    private void reject(int watch, String why) {
        rejected.incrementAndGet();
        firstProblem.compareAndSet(null, "watch " + watch + ": " + why);
    }

    /** Watches that have seen every object of the burst. */
    int fed() {
        return fed.get();
    }

    /** Events that counted: complete, of the burst, first of their name on their watch, in revision order. */
    long valid() {
        return valid.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    /** Lines that were not a complete ADDED event of a burst object, or came out of revision order. */
    long rejected() {
        return rejected.get();
    }

    /** Lines parsed by the full check (the rest matched a checked line byte for byte). */
    long fullChecks() {
        return fullChecks.get();
    }

    String firstProblem() {
        return firstProblem.get();
    }
}

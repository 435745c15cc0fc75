package io.kube4j.apiserver.flowcontrol;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The seats and queues of one priority level, as upstream's queueset in a simpler form. A request takes a seat at
 * once while one is free and nobody waits; otherwise it waits in one of the level's queues, chosen by shuffle
 * sharding its flow (the shortest of the {@code handSize} queues its flow hash deals), until a seat frees. Freed
 * seats go round-robin over the non-empty queues, one request per queue in turn - fair between flows that landed
 * in different queues, without upstream's virtual-time fair queuing. A full queue, a Reject level, or a level with
 * no queues refuses at once. Exempt levels only count.
 * <p>
 * Everything runs under the level's monitor; what a release makes runnable is handed back to the caller to start
 * outside it.
 */
final class PriorityLevel {

    /** Why a request was refused, upstream's {@code reason} label of rejected_requests_total. */
    static final String QUEUE_FULL = "queue-full";
    static final String CONCURRENCY_LIMIT = "concurrency-limit";
    static final String TIME_OUT = "time-out";

    final String name;
    private volatile String uid = "";
    private boolean exempt;
    private boolean reject;
    private int limit;
    private int handSize;
    private int queueLengthLimit;
    private ArrayDeque<Waiting>[] queues = newQueues(0);
    private int executing;
    private int waiting;
    /** The queue the round-robin looks at first on the next dispatch. */
    private int nextQueue;

    /** A request waiting for a seat; {@link #queue} is its queue's index while it waits, -1 afterwards. */
    static final class Waiting {
        final long flowHash;
        final Runnable run;
        int queue = -1;

        Waiting(long flowHash, Runnable run) {
            this.flowHash = flowHash;
            this.run = run;
        }
    }

    PriorityLevel(String name) {
        this.name = name;
    }

    String uid() {
        return uid;
    }

    /**
     * Applies a configuration: {@code queues} 0 with {@code reject} false means no queuing (nothing waits). Waiting
     * requests are dealt again into the new queues; returns those that the new limit lets run now.
     */
    synchronized List<Waiting> configure(String uid, boolean exempt, boolean reject, int limit, int queueCount,
                                         int handSize, int queueLengthLimit) {
        this.uid = uid;
        this.exempt = exempt;
        this.reject = reject;
        this.limit = limit;
        this.handSize = Math.max(1, Math.min(handSize, Math.max(queueCount, 1)));
        this.queueLengthLimit = queueLengthLimit;
        if (queueCount != queues.length) {
            ArrayDeque<Waiting>[] old = queues;
            queues = newQueues(queueCount);
            nextQueue = 0;
            List<Waiting> stranded = new ArrayList<>();
            for (ArrayDeque<Waiting> q : old) {
                stranded.addAll(q);
            }
            waiting = 0;
            for (Waiting w : stranded) {
                if (queues.length == 0) {
                    // no queue to wait in any more: they run, as the level no longer queues
                    w.queue = -1;
                    executing++;
                    continue;
                }
                int q = chooseQueue(w.flowHash);
                w.queue = q;
                queues[q].add(w);
                waiting++;
            }
            if (queues.length == 0) {
                return stranded;
            }
        }
        return dispatchable();
    }

    /** The fast path: a seat now if one is free and nobody waits (always, for an exempt level). */
    synchronized boolean tryTakeSeat() {
        if (exempt || (waiting == 0 && executing < limit)) {
            executing++;
            return true;
        }
        return false;
    }

    /**
     * After {@link #tryTakeSeat} failed: takes a seat if one freed meanwhile (returns null and the caller runs the
     * request), queues the request (returns "" - it runs when a seat frees), or refuses it (returns the reason).
     */
    synchronized String enqueue(Waiting request) {
        if (exempt || (waiting == 0 && executing < limit)) {
            executing++;
            return null;
        }
        if (reject || queues.length == 0) {
            return CONCURRENCY_LIMIT;
        }
        int q = chooseQueue(request.flowHash);
        if (queues[q].size() >= queueLengthLimit) {
            return QUEUE_FULL;
        }
        request.queue = q;
        queues[q].add(request);
        waiting++;
        return "";
    }

    /** Frees a seat; returns the requests that now hold seats and must be started (usually none: null). */
    synchronized List<Waiting> release() {
        executing--;
        return waiting == 0 ? null : dispatchable();
    }

    /** Takes a request that waited too long out of its queue; false if it got a seat first. */
    synchronized boolean expire(Waiting request) {
        if (request.queue < 0 || !queues[request.queue].remove(request)) {
            return false;
        }
        request.queue = -1;
        waiting--;
        return true;
    }

    synchronized int executing() {
        return executing;
    }

    synchronized int waiting() {
        return waiting;
    }

    synchronized int limit() {
        return limit;
    }

    synchronized boolean exempt() {
        return exempt;
    }

    /** How many queues hold a request now. */
    synchronized int activeQueues() {
        int active = 0;
        for (ArrayDeque<Waiting> q : queues) {
            if (!q.isEmpty()) {
                active++;
            }
        }
        return active;
    }

    /** Seats free and requests waiting: hands seats out round-robin over the non-empty queues. */
    private List<Waiting> dispatchable() {
        List<Waiting> ready = null;
        while (waiting > 0 && (exempt || executing < limit)) {
            for (int i = 0; i < queues.length; i++) {
                int q = (nextQueue + i) % queues.length;
                Waiting w = queues[q].poll();
                if (w != null) {
                    nextQueue = (q + 1) % queues.length;
                    w.queue = -1;
                    waiting--;
                    executing++;
                    if (ready == null) {
                        ready = new ArrayList<>();
                    }
                    ready.add(w);
                    break;
                }
            }
        }
        return ready;
    }

    /**
     * Shuffle sharding: the flow's hash deals {@code handSize} distinct queues (each draw takes the remainder by the
     * cards left and divides it out, as upstream's dealer), and the shortest of them is chosen.
     */
    private int chooseQueue(long flowHash) {
        int deck = queues.length;
        int[] hand = new int[handSize];
        long h = flowHash;
        int best = -1;
        for (int i = 0; i < handSize; i++) {
            int left = deck - i;
            int card = (int) Long.remainderUnsigned(h, left);
            h = Long.divideUnsigned(h, left);
            // the card-th queue not dealt yet: step over the dealt ones, kept sorted
            int pos = 0;
            while (pos < i && hand[pos] <= card) {
                card++;
                pos++;
            }
            System.arraycopy(hand, pos, hand, pos + 1, i - pos);
            hand[pos] = card;
            if (best < 0 || queues[card].size() < queues[best].size()) {
                best = card;
            }
        }
        return best;
    }

    @SuppressWarnings("unchecked")
    private static ArrayDeque<Waiting>[] newQueues(int n) {
        ArrayDeque<Waiting>[] queues = new ArrayDeque[n];
        for (int i = 0; i < n; i++) {
            queues[i] = new ArrayDeque<>();
        }
        return queues;
    }
}

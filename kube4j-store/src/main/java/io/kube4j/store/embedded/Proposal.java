package io.kube4j.store.embedded;

import io.kube4j.store.StoreException;

import java.util.concurrent.locks.LockSupport;

/**
 * A record on its way into the log, and the thread that waits until it is durable (and may write it itself: see
 * {@link WriteAheadLog#commit}).
 */
final class Proposal {
    private static final int PENDING = 0;
    private static final int DURABLE = 1;
    private static final int FAILED = 2;

    final WalRecord record;
    /** The thread that appended the record and commits it. */
    final Thread waiter = Thread.currentThread();
    private volatile int state = PENDING;
    private volatile Throwable failure;
    /** For a segment boundary: the sequence number of the segment that starts after it. */
    volatile long segmentAfter;

    Proposal(WalRecord record) {
        this.record = record;
    }

    void complete() {
        state = DURABLE;
        if (waiter != Thread.currentThread()) {
            // a leader completing its own record needs no wake-up (and a stray permit would cut its next park short)
            LockSupport.unpark(waiter);
        }
    }

    void fail(Throwable cause) {
        failure = cause;
        state = FAILED;
        LockSupport.unpark(waiter);
    }

    boolean isDone() {
        return state != PENDING;
    }

    /** Throws Unavailable if the record could not be made durable; call once it is done. */
    void throwIfFailed() {
        if (state == FAILED) {
            throw new StoreException.Unavailable("the write could not be made durable: " + failure.getMessage(), failure);
        }
    }
}

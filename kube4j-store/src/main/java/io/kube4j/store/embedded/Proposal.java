package io.kube4j.store.embedded;

import io.kube4j.store.StoreException;

import java.util.concurrent.locks.LockSupport;

/** A record on its way into the log, and the thread that waits until it is durable. */
final class Proposal {
    private static final int PENDING = 0;
    private static final int DURABLE = 1;
    private static final int FAILED = 2;

    final WalRecord record;
    private final Thread waiter = Thread.currentThread();
    private volatile int state = PENDING;
    private volatile Throwable failure;
    /** For a segment boundary: the sequence number of the segment that starts after it. */
    volatile long segmentAfter;

    Proposal(WalRecord record) {
        this.record = record;
    }

    void complete() {
        state = DURABLE;
        LockSupport.unpark(waiter);
    }

    void fail(Throwable cause) {
        failure = cause;
        state = FAILED;
        LockSupport.unpark(waiter);
    }

    /** Blocks until the record is durable; throws Unavailable if it never will be. */
    void await() {
        boolean interrupted = false;
        while (state == PENDING) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                // the write is in flight either way: finish waiting, then restore the flag
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (state == FAILED) {
            throw new StoreException.Unavailable("the write could not be made durable: " + failure.getMessage(), failure);
        }
    }
}

package io.kube4j.runtime.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread pools for the runtime's blocking work (CRI calls, reading a command's output, opening a FIFO) - and for the
 * API clients of the agent's JVM (kube4j-cli's ApiClientThreads): a thread per task in flight, none kept long once
 * idle.
 * <p>
 * The runtime runs in the node agent's JVM, whose footprint is a node's overhead: a burst of pod starts runs a few
 * dozen of these tasks at once, and {@link java.util.concurrent.Executors#newCachedThreadPool()} would keep each of
 * those threads (stack, JVM thread state) for a minute after. The work itself blocks (runc, conmon, a FIFO's writer),
 * so a bounded pool would make calls wait for each other's processes: these pools are unbounded, as a cached pool.
 */
public final class IdlePools {
    /**
     * Idle threads end after this long: a node's steady state (the kubelet's relist every second, status and probes)
     * keeps one or two busy; a burst's threads are gone seconds after it.
     */
    public static final long IDLE_SECONDS = 10;

    private IdlePools() {
    }

    /** An unbounded pool of daemon threads named {@code name-N}, each ending after {@link #IDLE_SECONDS} idle. */
    public static ExecutorService named(String name) {
        AtomicInteger count = new AtomicInteger();
        // SynchronousQueue: a task goes to an idle thread or a new one, never waits behind another task
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}

package io.kube4j.apiserver.watchcache;

/**
 * When a watch cache's next fan-out pass may start. A pass costs each listener it sends something to a write and a
 * flush on that client's connection (a system call, on loopback the receiver's work as well, and the client's read)
 * however few events it carries, while the events themselves cost little more than their bytes. Run greedily, as soon
 * as the previous pass is done, passes to many listeners take whatever CPU there is: a burst of writes slows down
 * because its own events are fanned out a few at a time, and the last listener is fed later than if it had been fed
 * in fewer, bigger passes. So after a pass that wrote to many listeners the next one waits a while, and the events
 * that arrive meanwhile go out together: a fixed time per listener written to (about the whole cost of a pass to that
 * listener, so that fanning out takes at most about half of the machine), at least as long as the pass itself took,
 * at most {@link #MAX_PAUSE_NANOS}. A pass that wrote to nobody, or quickly to a few listeners (however many watch: a
 * thousand watches that each select their own objects), is never followed by a pause; nor is the first pass after a
 * quiet spell delayed, so an event that comes alone is never held back.
 * <p>
 * Not thread-safe: the cache calls it under its lock.
 */
final class FanoutPacing {

    /**
     * The pause per listener the last pass wrote to: some of what one connection's write, flush and read cost the
     * machine (server and readers together used ~80 us of CPU per connection write in bench/apiserver's 1,000-watch
     * burst on 2 cores), most of which the fan-out thread's own time does not show. Longer pauses (100 us, 100 ms at
     * most) cut the write calls further but left the last events of a burst a few hundred ms later on a loaded machine:
     * the last pass, carrying everything queued during the pause, then takes that much longer to deliver.
     */
    static final long PAUSE_PER_LISTENER_NANOS = 50_000;
    /** The longest pause: the most an event waits beyond the pass in progress, with any number of listeners. */
    static final long MAX_PAUSE_NANOS = 50_000_000;
    /** Shorter pauses are not worth a trip through the scheduler: a pass to up to 20 listeners is never delayed. */
    static final long MIN_PAUSE_NANOS = 1_000_000;

    private long nextPassNanos;
    private boolean paced;

    /** A pass that started at {@code start} and ended at {@code end} wrote to {@code listeners} listeners. */
    void passDone(long start, long end, int listeners) {
        if (listeners == 0) {
            // nothing written, nothing to gather into fewer writes: however long the pass took (on a loaded machine
            // looking at many watchers can take milliseconds), the next event goes out at once
            paced = false;
            return;
        }
        long pause = Math.min(MAX_PAUSE_NANOS, Math.max(end - start, listeners * PAUSE_PER_LISTENER_NANOS));
        paced = pause > MIN_PAUSE_NANOS;
        nextPassNanos = end + pause;
    }

    /** Whether the last pass wrote to enough listeners that the next one waits for its turn. */
    boolean paced() {
        return paced;
    }

    /** How long a pass that could start at {@code now} must wait; zero or less: none. */
    long waitNanos(long now) {
        return paced ? nextPassNanos - now : 0;
    }
}

package io.kube4j.bench.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** Samples a running count once a second and keeps the per-second increments. */
final class ThroughputSampler {
    private final IntSupplier counter;
    private final ScheduledExecutorService timer;
    private final List<Integer> perSecond = new ArrayList<>();
    private int last;

    private ThroughputSampler(IntSupplier counter) {
        this.counter = counter;
        this.last = counter.getAsInt();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "throughput-sampler");
            t.setDaemon(true);
            return t;
        });
    }

    static ThroughputSampler start(IntSupplier counter) {
        ThroughputSampler s = new ThroughputSampler(counter);
        s.timer.scheduleAtFixedRate(s::sample, 1, 1, TimeUnit.SECONDS);
        return s;
    }

    private synchronized void sample() {
        int now = counter.getAsInt();
        perSecond.add(now - last);
        last = now;
    }

    /** Stops sampling and returns the increments, one per whole second. */
    synchronized List<Integer> stop() {
        timer.shutdownNow();
        return new ArrayList<>(perSecond);
    }
}

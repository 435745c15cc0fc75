package io.kube4j.scheduler.queue;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.QueueSortPlugin;
import io.kube4j.scheduler.framework.QueuedPodInfo;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * Upstream's PriorityQueue: an activeQ ordered by the QueueSort plugin, a backoffQ ordered by backoff
 * expiry (1 s doubling to 10 s by default) and a set of unschedulable pods that cluster events (or a
 * 5 minute timeout) move back. All methods are thread-safe; {@link #pop} blocks.
 */
public final class SchedulingQueue implements AutoCloseable {
    private enum Where { ACTIVE, BACKOFF, UNSCHEDULABLE, IN_FLIGHT }

    private static final class Entry {
        QueuedPodInfo info;
        Where where;

        Entry(QueuedPodInfo info, Where where) {
            this.info = info;
            this.where = where;
        }
    }

    private final Clock clock;
    private final EventInterest interest;
    private final long initialBackoffMillis;
    private final long maxBackoffMillis;
    private final long maxUnschedulableMillis;
    private final PriorityQueue<QueuedPodInfo> activeQ;
    private final PriorityQueue<QueuedPodInfo> backoffQ;
    private final Map<String, Entry> entries = new HashMap<>();
    /** The UNSCHEDULABLE entries, kept apart so cluster events scan only them. */
    private final Map<String, Entry> unschedulable = new LinkedHashMap<>();
    private long schedulingCycle;
    private long moveRequestCycle = -1;
    private boolean closed;

    public SchedulingQueue(QueueSortPlugin sort, Clock clock, EventInterest interest) {
        this(sort, clock, interest, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    public SchedulingQueue(QueueSortPlugin sort, Clock clock, EventInterest interest,
                           Duration initialBackoff, Duration maxBackoff, Duration maxUnschedulable) {
        this.clock = clock;
        this.interest = interest;
        this.initialBackoffMillis = initialBackoff.toMillis();
        this.maxBackoffMillis = maxBackoff.toMillis();
        this.maxUnschedulableMillis = maxUnschedulable.toMillis();
        this.activeQ = new PriorityQueue<>((a, b) -> sort.less(a, b) ? -1 : sort.less(b, a) ? 1 : 0);
        this.backoffQ = new PriorityQueue<>((a, b) -> Long.compare(backoffExpiry(a), backoffExpiry(b)));
    }

    private static String key(Pod p) { return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(); }

    /** A new pending pod: straight to activeQ. */
    public synchronized void add(Pod pod) {
        String k = key(pod);
        Entry e = entries.get(k);
        if (e != null) {
            update(pod);
            return;
        }
        QueuedPodInfo q = new QueuedPodInfo(new PodInfo(pod), clock.millis());
        entries.put(k, new Entry(q, Where.ACTIVE));
        activeQ.add(q);
        notifyAll();
    }

    /** A pending pod changed: refresh it; an unschedulable pod is retried (its spec may now fit). */
    public synchronized void update(Pod pod) {
        Entry e = entries.get(key(pod));
        if (e == null) {
            add(pod);
            return;
        }
        PodInfo fresh = new PodInfo(pod);
        switch (e.where) {
            case IN_FLIGHT -> e.info.setPodInfo(fresh);
            case ACTIVE -> {
                activeQ.remove(e.info);
                e.info.setPodInfo(fresh);
                activeQ.add(e.info);
            }
            case BACKOFF -> {
                backoffQ.remove(e.info);
                e.info.setPodInfo(fresh);
                backoffQ.add(e.info);
            }
            case UNSCHEDULABLE -> {
                e.info.setPodInfo(fresh);
                unschedulable.remove(e.info.key());
                if (isBackingOff(e.info)) {
                    e.where = Where.BACKOFF;
                    backoffQ.add(e.info);
                } else {
                    e.where = Where.ACTIVE;
                    activeQ.add(e.info);
                    notifyAll();
                }
            }
        }
    }

    public synchronized void delete(Pod pod) { delete(key(pod)); }

    /** Removes the pod under {@code namespace/name} wherever it waits. */
    public synchronized void delete(String podKey) {
        Entry e = entries.remove(podKey);
        if (e == null) return;
        unschedulable.remove(podKey);
        if (e.where == Where.ACTIVE) activeQ.remove(e.info);
        else if (e.where == Where.BACKOFF) backoffQ.remove(e.info);
    }

    /** Blocks until a pod is active; null once closed. The pod is in flight until {@link #done} or re-queued. */
    public synchronized QueuedPodInfo pop() throws InterruptedException {
        return poll(Long.MAX_VALUE, TimeUnit.MILLISECONDS);
    }

    public synchronized QueuedPodInfo poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = timeout == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + unit.toNanos(timeout);
        while (activeQ.isEmpty() && !closed) {
            if (deadline == Long.MAX_VALUE) {
                wait();
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        if (closed) return null;
        QueuedPodInfo q = activeQ.poll();
        q.attempts++;
        if (q.initialAttemptMillis == 0) q.initialAttemptMillis = clock.millis();
        schedulingCycle++;
        entries.get(q.key()).where = Where.IN_FLIGHT;
        return q;
    }

    /** The cycle counter, read before an attempt and passed back to {@link #addUnschedulableIfNotPresent}. */
    public synchronized long schedulingCycle() { return schedulingCycle; }

    /** The pod was bound (or given up on): forget it. */
    public synchronized void done(String podKey) {
        Entry e = entries.get(podKey);
        if (e != null && e.where == Where.IN_FLIGHT) entries.remove(podKey);
    }

    /**
     * A failed attempt. Pods rejected by plugins wait for a relevant event in the unschedulable set, unless an
     * event already arrived during the attempt; errors (no rejecting plugin) retry after backoff.
     */
    public synchronized void addUnschedulableIfNotPresent(QueuedPodInfo q, long podSchedulingCycle) {
        Entry e = entries.get(q.key());
        if (e == null) return; // deleted while in flight
        if (e.where != Where.IN_FLIGHT) return;
        q.timestampMillis = clock.millis();
        if (q.unschedulablePlugins.isEmpty() || moveRequestCycle >= podSchedulingCycle) {
            e.where = Where.BACKOFF;
            backoffQ.add(q);
        } else {
            e.where = Where.UNSCHEDULABLE;
            unschedulable.put(q.key(), e);
        }
    }

    /** Moves unschedulable pods that the event may help to activeQ (or backoffQ while still backing off). */
    public synchronized void moveAllToActiveOrBackoffQueue(ClusterEvent event) {
        boolean activated = false;
        for (Iterator<Entry> it = unschedulable.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (event != ClusterEvent.WILDCARD && !interest.mayHelp(e.info, event)) continue;
            it.remove();
            activated |= requeue(e);
        }
        moveRequestCycle = schedulingCycle;
        if (activated) notifyAll();
    }

    private boolean requeue(Entry e) {
        if (isBackingOff(e.info)) {
            e.where = Where.BACKOFF;
            backoffQ.add(e.info);
            return false;
        }
        e.where = Where.ACTIVE;
        activeQ.add(e.info);
        return true;
    }

    /** Moves pods whose backoff ended to activeQ; call about every second. */
    public synchronized void flushBackoffQCompleted() {
        long now = clock.millis();
        boolean activated = false;
        while (!backoffQ.isEmpty() && backoffExpiry(backoffQ.peek()) <= now) {
            QueuedPodInfo q = backoffQ.poll();
            Entry e = entries.get(q.key());
            if (e == null || e.info != q) continue;
            e.where = Where.ACTIVE;
            activeQ.add(q);
            activated = true;
        }
        if (activated) notifyAll();
    }

    /** Retries pods that stayed unschedulable longer than the limit (5 minutes by default); call every 30 s. */
    public synchronized void flushUnschedulablePodsLeftover() {
        long now = clock.millis();
        boolean activated = false;
        for (Iterator<Entry> it = unschedulable.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now - e.info.timestampMillis >= maxUnschedulableMillis) {
                it.remove();
                activated |= requeue(e);
            }
        }
        if (activated) notifyAll();
    }

    long backoffExpiry(QueuedPodInfo q) { return q.timestampMillis + backoffDuration(q); }

    long backoffDuration(QueuedPodInfo q) {
        long d = initialBackoffMillis;
        for (int i = 1; i < q.attempts; i++) {
            d *= 2;
            if (d >= maxBackoffMillis) return maxBackoffMillis;
        }
        return Math.min(d, maxBackoffMillis);
    }

    private boolean isBackingOff(QueuedPodInfo q) { return backoffExpiry(q) > clock.millis(); }

    public synchronized int activeSize() { return activeQ.size(); }
    public synchronized int backoffSize() { return backoffQ.size(); }

    public synchronized int unschedulableSize() { return unschedulable.size(); }

    /** Pods in the unschedulable set (for tests and debugging). */
    public synchronized List<String> unschedulableKeys() { return new ArrayList<>(unschedulable.keySet()); }

    public synchronized boolean contains(String podKey) { return entries.containsKey(podKey); }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Drops every entry (when leadership is lost). */
    public synchronized void clear() {
        entries.clear();
        unschedulable.clear();
        activeQ.clear();
        backoffQ.clear();
    }

}

package io.kube4j.scheduler.framework;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Pods held at Permit until a plugin allows or rejects them, or their timeout passes. */
public final class WaitingPods {
    private final Map<String, CompletableFuture<Status>> waiting = new ConcurrentHashMap<>();
    private final Map<String, Duration> timeouts = new ConcurrentHashMap<>();

    void add(String uid, Duration timeout) {
        waiting.put(uid, new CompletableFuture<>());
        timeouts.put(uid, timeout);
    }

    public boolean allow(String uid) {
        CompletableFuture<Status> f = waiting.get(uid);
        return f != null && f.complete(Status.success());
    }

    public boolean reject(String uid, String plugin, String message) {
        CompletableFuture<Status> f = waiting.get(uid);
        return f != null && f.complete(Status.unschedulable(message).withPlugin(plugin));
    }

    public boolean isWaiting(String uid) { return waiting.containsKey(uid); }

    Status await(String uid) {
        CompletableFuture<Status> f = waiting.get(uid);
        if (f == null) return Status.success();
        try {
            Duration t = timeouts.get(uid);
            return f.get(t.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Status.unschedulable("rejected due to timeout after waiting " + timeouts.get(uid).toSeconds() + "s at plugin Permit");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.error("interrupted while waiting at Permit");
        } catch (ExecutionException e) {
            return Status.error(e.getCause());
        } finally {
            waiting.remove(uid);
            timeouts.remove(uid);
        }
    }

    /** Package-private hooks used by the framework implementation in another package. */
    public static void register(WaitingPods w, String uid, Duration timeout) { w.add(uid, timeout); }

    public static Status awaitPod(WaitingPods w, String uid) { return w.await(uid); }
}

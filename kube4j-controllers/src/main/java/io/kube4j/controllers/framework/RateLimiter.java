package io.kube4j.controllers.framework;

import java.time.Duration;

/** Decides how long a failing key waits before it is retried. */
public interface RateLimiter<K> {
    Duration when(K item);

    void forget(K item);

    int numRequeues(K item);
}

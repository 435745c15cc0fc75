package io.kube4j.controllers.replicaset;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Upstream's slowStartBatch: run calls in batches of 1, 2, 4, ... and stop at the first batch
 * with a failure, so a quota or admission error costs one call rather than hundreds.
 */
public final class SlowStart {
    public record Result(int successes, Exception error) {
    }

    private SlowStart() {
    }

    public static Result run(int count, int initialBatchSize, Executor executor, Runnable call) {
        int remaining = count;
        int successes = 0;
        for (int batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
            List<CompletableFuture<Exception>> futures = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        call.run();
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                }, executor));
            }
            Exception firstError = null;
            for (CompletableFuture<Exception> f : futures) {
                Exception e = f.join();
                if (e == null) {
                    successes++;
                } else if (firstError == null) {
                    firstError = e;
                }
            }
            if (firstError != null) {
                return new Result(successes, firstError);
            }
            remaining -= batch;
        }
        return new Result(successes, null);
    }
}

package io.kube4j.apiserver.http;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * Counts the requests in progress on each event loop's connections (watches included, until they end), so a request
 * may be served on the loop that read it when no other request of that loop is in progress
 * ({@link HttpHandler#servesOnQuietLoop}). Idle kept-alive connections do not count: a request that arrives on one
 * meanwhile waits for this one, as it would wait for a free worker under load. Each loop is one thread and a
 * connection stays on its loop for life, so the count is a plain int of the loop's own thread: no sharing, no
 * atomics. Called on event loops only.
 */
final class QuietLoops {

    private static final FastThreadLocal<int[]> IN_PROGRESS = new FastThreadLocal<>() {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    };

    private QuietLoops() {
    }

    /** Whether no request of the calling event loop's connections is in progress. */
    static boolean quiet() {
        return IN_PROGRESS.get()[0] == 0;
    }

    static void started() {
        IN_PROGRESS.get()[0]++;
    }

    static void ended() {
        IN_PROGRESS.get()[0]--;
    }
}

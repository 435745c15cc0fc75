package io.kube4j.apiserver.http;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;

/** Answers a request with the metav1.Status of a failure. */
public final class StatusWriter {

    private StatusWriter() {
    }

    public static void write(ResponseSink sink, StatusException e) {
        // a suggested delay is also said as Retry-After, as upstream's ErrorNegotiated does (clients honour that)
        int retryAfter = e.details() == null ? 0 : e.details().retryAfterSeconds();
        sink.send(e.code(), "application/json", Json.bytes(e.toStatus()),
                retryAfter > 0 ? java.util.Map.of("Retry-After", Integer.toString(retryAfter)) : java.util.Map.of());
    }

    /** For the last-resort handler: a handler may have answered before it threw. */
    static void writeIfUnanswered(ResponseSink sink, StatusException e) {
        try {
            write(sink, e);
        } catch (IllegalStateException alreadyAnswered) {
            // the response is under way; nothing more can be said to the client
        }
    }
}

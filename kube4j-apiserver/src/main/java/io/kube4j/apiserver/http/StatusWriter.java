package io.kube4j.apiserver.http;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;

/** Answers a request with the metav1.Status of a failure. */
public final class StatusWriter {

    private StatusWriter() {
    }

    public static void write(ResponseSink sink, StatusException e) {
        sink.send(e.code(), "application/json", Json.bytes(e.toStatus()));
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

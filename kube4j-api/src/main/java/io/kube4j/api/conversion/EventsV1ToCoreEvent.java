package io.kube4j.api.conversion;

import tools.jackson.databind.node.ObjectNode;

/** An events.k8s.io/v1 Event as core/v1 holds it: regarding becomes involvedObject, note message, and so on. */
public final class EventsV1ToCoreEvent {

    public static final String API_VERSION = "v1";

    private EventsV1ToCoreEvent() {
    }

    /** A new object; {@code event} is left unchanged. */
    public static ObjectNode convert(ObjectNode event) {
        return EventFields.convert(event, API_VERSION, false);
    }
}

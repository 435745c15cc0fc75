package io.kube4j.api.conversion;

import tools.jackson.databind.node.ObjectNode;

/** A core/v1 Event as events.k8s.io/v1 serves it: involvedObject becomes regarding, message note, and so on. */
public final class CoreEventToEventsV1 {

    public static final String API_VERSION = "events.k8s.io/v1";

    private CoreEventToEventsV1() {
    }

    /** A new object; {@code core} is left unchanged. */
    public static ObjectNode convert(ObjectNode core) {
        return EventFields.convert(core, API_VERSION, true);
    }
}

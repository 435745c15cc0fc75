package io.kube4j.apiserver.registry.conversion;

import io.kube4j.api.conversion.CoreEventToEventsV1;
import io.kube4j.api.conversion.EventsV1ToCoreEvent;
import io.kube4j.apiserver.registry.StoredForm;
import tools.jackson.databind.node.ObjectNode;

/**
 * events.k8s.io/v1 Events kept as core/v1 Events, as upstream stores both APIs under /registry/events: what
 * one API writes the other reads.
 */
public final class EventsV1OverCoreEvents implements StoredForm {

    @Override
    public ObjectNode toStored(ObjectNode served) {
        return EventsV1ToCoreEvent.convert(served);
    }

    @Override
    public ObjectNode toServed(ObjectNode stored) {
        return CoreEventToEventsV1.convert(stored);
    }
}

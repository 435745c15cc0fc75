package io.kube4j.apiserver.admission.matching;

import io.kube4j.api.conversion.CoreEventToEventsV1;
import io.kube4j.api.conversion.EventsV1ToCoreEvent;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The resources upstream's matchPolicy Equivalent treats as one: the same objects served through another group
 * or version. kube4j serves one version per resource, so the pairs are the resources served in two groups over one
 * storage: core/v1 Events and events.k8s.io/v1 Events. A webhook matched only through the other form is sent the
 * object converted to that form, and its patch is converted back; a policy sees it in that form too.
 */
public final class EquivalentResources {

    /** A group/version/resource with its kind. */
    public record Gvr(String group, String version, String resource, String kind) {
    }

    /** The request seen as {@code gvr}: how to convert the request's object there and back. */
    public record Equivalent(Gvr gvr, UnaryOperator<ObjectNode> to, UnaryOperator<ObjectNode> back) {
    }

    private static final Gvr CORE_EVENTS = new Gvr("", "v1", "events", "Event");
    private static final Gvr EVENTS_V1 = new Gvr("events.k8s.io", "v1", "events", "Event");

    private EquivalentResources() {
    }

    /** The other forms of the main resource {@code group/version/resource}; empty for most resources. */
    static List<Equivalent> of(String group, String version, String resource) {
        if (resource.equals("events") && version.equals("v1")) {
            if (group.isEmpty()) {
                return List.of(new Equivalent(EVENTS_V1, CoreEventToEventsV1::convert, EventsV1ToCoreEvent::convert));
            }
            if (group.equals(EVENTS_V1.group())) {
                return List.of(new Equivalent(CORE_EVENTS, EventsV1ToCoreEvent::convert, CoreEventToEventsV1::convert));
            }
        }
        return List.of();
    }
}

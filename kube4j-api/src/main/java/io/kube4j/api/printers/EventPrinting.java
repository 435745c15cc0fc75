package io.kube4j.api.printers;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The row of a core/v1 or events.k8s.io/v1 Event (both are printed through the core event printer upstream). */
final class EventPrinting {
    private EventPrinting() {
    }

    static List<Object> coreEvent(ObjectNode o, Instant now) {
        boolean newApi = o.has("regarding") || o.has("deprecatedFirstTimestamp") || o.has("note");
        JsonNode involved = newApi ? o.get("regarding") : o.get("involvedObject");
        String firstTs = Cells.str(o, newApi ? "deprecatedFirstTimestamp" : "firstTimestamp");
        String lastTs = Cells.str(o, newApi ? "deprecatedLastTimestamp" : "lastTimestamp");
        String first = firstTs.isEmpty() ? HumanDuration.since(Cells.str(o, "eventTime"), now) : HumanDuration.since(firstTs, now);
        String last = lastTs.isEmpty() ? first : HumanDuration.since(lastTs, now);
        long count = Cells.num(o, newApi ? "deprecatedCount" : "count");
        if (Cells.has(o, "series")) {
            last = HumanDuration.since(Cells.str(o, "series", "lastObservedTime"), now);
            count = Cells.num(o, "series", "count");
        } else if (count == 0) {
            count = 1;
        }
        String kind = Cells.str(involved, "kind").toLowerCase(Locale.ROOT);
        String name = Cells.str(involved, "name");
        String target = name.isEmpty() ? kind : kind + "/" + name;
        String component = Cells.str(o, newApi ? "deprecatedSource" : "source", "component");
        String host = Cells.str(o, newApi ? "deprecatedSource" : "source", "host");
        if (component.isEmpty()) {
            component = Cells.str(o, newApi ? "reportingController" : "reportingComponent");
        }
        if (host.isEmpty()) {
            host = Cells.str(o, "reportingInstance");
        }
        String source = host.isEmpty() ? component : component + ", " + host;
        String message = Cells.str(o, newApi ? "note" : "message").strip();
        return List.of(last, Cells.str(o, "type"), Cells.str(o, "reason"), target, Cells.str(involved, "fieldPath"),
                source, message, first, count, Cells.name(o));
    }
}

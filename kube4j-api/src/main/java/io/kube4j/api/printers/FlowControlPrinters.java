package io.kube4j.api.printers;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's FlowSchema and PriorityLevelConfiguration printers (pkg/printers/internalversion): {@code <none>} where a
 * limited-only field is missing, {@code ?} while a flow schema has no Dangling condition yet.
 */
final class FlowControlPrinters {
    private static final String GROUP = "flowcontrol.apiserver.k8s.io/";
    private static final String NONE = "<none>";

    private FlowControlPrinters() {
    }

    static void register(Map<String, TablePrinter> into) {
        into.put(GROUP + "FlowSchema", new KindPrinter(List.of(Columns.NAME,
                Columns.str("PriorityLevel", "priorityLevelConfiguration is a reference to the priority level "
                        + "configuration that the matched requests are assigned to."),
                Columns.str("MatchingPrecedence", "matchingPrecedence is used to choose among the FlowSchemas that "
                        + "match a given request."),
                Columns.str("DistinguisherMethod", "distinguisherMethod defines how to compute the flow distinguisher "
                        + "for requests that match this schema."),
                Columns.AGE,
                Columns.str("MissingPL", "indicates whether the priority level configuration this schema references "
                        + "is missing (the Dangling condition).")),
                FlowControlPrinters::flowSchema));
        into.put(GROUP + "PriorityLevelConfiguration", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Type", "type indicates whether this priority level is subject to limitation on request "
                        + "execution."),
                Columns.str("NominalConcurrencyShares", "nominalConcurrencyShares contributes to the computation of "
                        + "the NominalConcurrencyLimit (NominalCL) of this level."),
                Columns.str("Queues", "queues is the number of queues for this priority level."),
                Columns.str("HandSize", "handSize is a small positive number that configures the shuffle sharding of "
                        + "requests into queues."),
                Columns.str("QueueLengthLimit", "queueLengthLimit is the maximum number of requests allowed to be "
                        + "waiting in a given queue of this priority level at a time."),
                Columns.AGE),
                FlowControlPrinters::priorityLevel));
    }

    private static List<Object> flowSchema(ObjectNode obj, java.time.Instant now) {
        String method = Cells.str(obj, "spec", "distinguisherMethod", "type");
        return List.of(Cells.name(obj), Cells.str(obj, "spec", "priorityLevelConfiguration", "name"),
                number(Cells.at(obj, "spec", "matchingPrecedence")), method.isEmpty() ? NONE : method,
                Cells.age(obj, now), danglingStatus(obj));
    }

    private static List<Object> priorityLevel(ObjectNode obj, java.time.Instant now) {
        JsonNode limited = Cells.at(obj, "spec", "limited");
        boolean isLimited = limited != null && limited.isObject();
        JsonNode queuing = isLimited ? Cells.at(limited, "limitResponse", "queuing") : null;
        boolean queues = queuing != null && queuing.isObject();
        return List.of(Cells.name(obj), Cells.str(obj, "spec", "type"),
                isLimited ? number(limited.get("nominalConcurrencyShares")) : NONE,
                queues ? number(queuing.get("queues")) : NONE,
                queues ? number(queuing.get("handSize")) : NONE,
                queues ? number(queuing.get("queueLengthLimit")) : NONE,
                Cells.age(obj, now));
    }

    private static String danglingStatus(ObjectNode obj) {
        for (JsonNode condition : Cells.list(obj, "status", "conditions")) {
            if ("Dangling".equals(Cells.str(condition, "type"))) {
                return Cells.str(condition, "status");
            }
        }
        return "?";
    }

    private static Object number(JsonNode node) {
        return node != null && node.isIntegralNumber() ? (Object) node.asLong() : NONE;
    }
}

package io.kube4j.apiserver.flowcontrol;

import io.kube4j.api.printers.Column;
import io.kube4j.api.printers.HumanDuration;
import io.kube4j.api.printers.TablePrinter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * The Table columns of upstream's printers for FlowSchemas and PriorityLevelConfigurations
 * (pkg/printers/internalversion): {@code <none>} where a limited-only field is missing, {@code ?} while a flow
 * schema has no Dangling condition yet.
 */
final class FlowControlTables {

    private static final String NAME_DOC = "Name must be unique within a namespace. Is required when creating "
            + "resources, although some resources may allow a client to request the generation of an appropriate name "
            + "automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot "
            + "be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    private static final String AGE_DOC = "CreationTimestamp is a timestamp representing the server time when this "
            + "object was created. It is not guaranteed to be set in happens-before order across separate operations. "
            + "Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the "
            + "system. Read-only. Null for lists. More info: "
            + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
    private static final Column NAME = new Column("Name", "string", "name", NAME_DOC, 0);
    private static final Column AGE = new Column("Age", "string", "", AGE_DOC, 0);
    private static final String NONE = "<none>";

    static final TablePrinter FLOW_SCHEMAS = new TablePrinter() {
        private final List<Column> columns = List.of(NAME,
                column("PriorityLevel", "priorityLevelConfiguration is a reference to the priority level "
                        + "configuration that the matched requests are assigned to."),
                column("MatchingPrecedence", "matchingPrecedence is used to choose among the FlowSchemas that match "
                        + "a given request."),
                column("DistinguisherMethod", "distinguisherMethod defines how to compute the flow distinguisher "
                        + "for requests that match this schema."),
                AGE,
                column("MissingPL", "indicates whether the priority level configuration this schema references "
                        + "is missing (the Dangling condition)."));

        @Override
        public List<Column> columns() {
            return columns;
        }

        @Override
        public List<Object> cells(ObjectNode obj, Instant now) {
            JsonNode spec = obj.path("spec");
            JsonNode precedence = spec.get("matchingPrecedence");
            String method = text(spec.path("distinguisherMethod").get("type"));
            return List.of(name(obj), text(spec.path("priorityLevelConfiguration").get("name")),
                    precedence != null && precedence.isIntegralNumber() ? (Object) precedence.asLong() : NONE,
                    method.isEmpty() ? NONE : method, age(obj, now), danglingStatus(obj));
        }
    };

    static final TablePrinter PRIORITY_LEVELS = new TablePrinter() {
        private final List<Column> columns = List.of(NAME,
                column("Type", "type indicates whether this priority level is subject to limitation on request "
                        + "execution."),
                column("NominalConcurrencyShares", "nominalConcurrencyShares contributes to the computation of the "
                        + "NominalConcurrencyLimit (NominalCL) of this level."),
                column("Queues", "queues is the number of queues for this priority level."),
                column("HandSize", "handSize is a small positive number that configures the shuffle sharding of "
                        + "requests into queues."),
                column("QueueLengthLimit", "queueLengthLimit is the maximum number of requests allowed to be waiting "
                        + "in a given queue of this priority level at a time."),
                AGE);

        @Override
        public List<Column> columns() {
            return columns;
        }

        @Override
        public List<Object> cells(ObjectNode obj, Instant now) {
            JsonNode spec = obj.path("spec");
            JsonNode limited = spec.get("limited");
            Object shares = NONE;
            Object queues = NONE;
            Object handSize = NONE;
            Object lengthLimit = NONE;
            if (limited != null && limited.isObject()) {
                shares = number(limited.get("nominalConcurrencyShares"));
                JsonNode queuing = limited.path("limitResponse").get("queuing");
                if (queuing != null && queuing.isObject()) {
                    queues = number(queuing.get("queues"));
                    handSize = number(queuing.get("handSize"));
                    lengthLimit = number(queuing.get("queueLengthLimit"));
                }
            }
            return List.of(name(obj), text(spec.get("type")), shares, queues, handSize, lengthLimit, age(obj, now));
        }
    };

    private FlowControlTables() {
    }

    private static Column column(String name, String description) {
        return new Column(name, "string", "", description, 0);
    }

    private static String danglingStatus(ObjectNode obj) {
        for (JsonNode condition : obj.path("status").path("conditions")) {
            if ("Dangling".equals(text(condition.get("type")))) {
                return text(condition.get("status"));
            }
        }
        return "?";
    }

    private static Object number(JsonNode node) {
        return node != null && node.isIntegralNumber() ? (Object) node.asLong() : NONE;
    }

    private static String name(ObjectNode obj) {
        return text(obj.path("metadata").get("name"));
    }

    private static String age(ObjectNode obj, Instant now) {
        return HumanDuration.since(text(obj.path("metadata").get("creationTimestamp")), now);
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() ? node.asString() : "";
    }
}

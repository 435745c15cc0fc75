package io.kube4j.api.printers;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The APIService table of upstream's kube-aggregator REST storage (its own ConvertToTable, not a printer of
 * {@code pkg/printers}): where the API is served - {@code Local} or the service's {@code namespace/name} - and whether
 * it is available, with the reason when it is not.
 */
final class ApiServicePrinter {
    private ApiServicePrinter() {
    }

    static final TablePrinter PRINTER = new KindPrinter(List.of(Columns.NAME,
            Columns.str("Service", "The reference to the service that hosts this API endpoint."),
            Columns.str("Available", "Whether this service is available."),
            Columns.AGE),
            (o, now) -> List.of(Cells.name(o), service(o), available(o), Cells.age(o, now)));

    private static String service(ObjectNode apiService) {
        JsonNode service = Cells.at(apiService, "spec", "service");
        if (service == null || !service.isObject()) {
            return "Local";
        }
        return Cells.str(service, "namespace") + "/" + Cells.str(service, "name");
    }

    /** {@code True}, {@code False (Reason)}, or {@code Unknown} while no Available condition is set. */
    private static String available(ObjectNode apiService) {
        for (JsonNode condition : Cells.list(apiService, "status", "conditions")) {
            if (!"Available".equals(Cells.str(condition, "type"))) {
                continue;
            }
            String status = Cells.str(condition, "status");
            String reason = Cells.str(condition, "reason");
            return status.equals("True") || reason.isEmpty() ? status : status + " (" + reason + ")";
        }
        return "Unknown";
    }
}

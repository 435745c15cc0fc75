package io.kube4j.apiserver.resourcemetrics;

import io.kube4j.api.printers.Column;
import io.kube4j.api.printers.TablePrinter;
import io.kube4j.api.quantity.Quantity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/** metrics-server's table for {@code kubectl get nodemetrics/podmetrics}: CPU and memory summed, and the window. */
final class MetricsTablePrinter implements TablePrinter {

    static final MetricsTablePrinter INSTANCE = new MetricsTablePrinter();

    private static final List<Column> COLUMNS = List.of(
            new Column("Name", "string", "name", "Name must be unique within a namespace.", 0),
            new Column("CPU", "string", "", "CPU consumption", 0),
            new Column("Memory", "string", "", "Memory consumption", 0),
            new Column("Window", "string", "", "Time window of the sample", 0));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode obj, Instant now) {
        Quantity cpu = Quantity.ZERO;
        Quantity memory = Quantity.ZERO;
        if (obj.has("usage")) {
            cpu = Quantity.parse(obj.path("usage").path("cpu").asString("0"));
            memory = Quantity.parse(obj.path("usage").path("memory").asString("0"));
        }
        for (JsonNode c : obj.path("containers")) {
            cpu = cpu.add(Quantity.parse(c.path("usage").path("cpu").asString("0")));
            memory = memory.add(Quantity.parse(c.path("usage").path("memory").asString("0")));
        }
        return List.of(obj.path("metadata").path("name").asString(), cpu.toString(), memory.toString(),
                obj.path("window").asString(""));
    }
}

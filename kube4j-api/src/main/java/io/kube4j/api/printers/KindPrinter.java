package io.kube4j.api.printers;

import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import tools.jackson.databind.node.ObjectNode;

/** A printer made of its column list and a row function. */
record KindPrinter(List<Column> columns, BiFunction<ObjectNode, Instant, List<Object>> row) implements TablePrinter {
    @Override
    public List<Object> cells(ObjectNode obj, Instant now) {
        return row.apply(obj, now);
    }
}

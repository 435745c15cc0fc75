package io.kube4j.api.printers;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** The columns kubectl shows for a kind, and the cells of one object's row. */
public interface TablePrinter {
    List<Column> columns();

    /** The row of {@code obj}: one cell (String, Integer or Long) per column, in column order. */
    List<Object> cells(ObjectNode obj, Instant now);
}

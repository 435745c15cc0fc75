package io.kube4j.api.printers;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** The table printer of each built-in kind; anything else gets upstream's default table (Name, Age). */
public final class TablePrinters {
    private TablePrinters() {
    }

    private static final Map<String, TablePrinter> BY_KIND = new HashMap<>();

    private static final TablePrinter DEFAULT = new TablePrinter() {
        @Override
        public List<Column> columns() {
            return List.of(new Column("Name", "string", "name", "Name must be unique within a namespace.", 0),
                    new Column("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0));
        }

        @Override
        public List<Object> cells(ObjectNode obj, Instant now) {
            return List.of(obj.path("metadata").path("name").asString(""), "<unknown>");
        }
    };

    /** The printer of a kind; {@code group} is "" for core. Never null. */
    public static TablePrinter forKind(String group, String kind) {
        return BY_KIND.getOrDefault((group == null ? "" : group) + "/" + kind, DEFAULT);
    }
}

package io.kube4j.apiserver.endpoints;

import io.kube4j.api.printers.Column;
import io.kube4j.api.printers.TablePrinter;
import io.kube4j.api.printers.TablePrinters;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * Turns objects into meta.k8s.io Tables with the kind's printer columns, as kubectl get asks for: v1, or v1beta1 when
 * asked so (upstream's asTable answers in the version of the Accept clause, its rows' PartialObjectMetadata too).
 */
public final class Tables {

    /** The Table version kubectl asks for first, and the one answered where nothing else is asked. */
    public static final String V1 = "meta.k8s.io/v1";

    private Tables() {
    }

    /** {@code includeObject}: None, Metadata (default) or Object. */
    public static ObjectNode table(ResourceType type, List<ObjectNode> objects, boolean withColumns,
                                   String includeObject, String resourceVersion, String continueToken,
                                   long remaining) {
        return table(type, null, objects, withColumns, includeObject, resourceVersion, continueToken, remaining);
    }

    /** As above with the resource's own printer (custom resources' printer columns); null for the kind's. */
    public static ObjectNode table(ResourceType type, TablePrinter custom, List<ObjectNode> objects,
                                   boolean withColumns, String includeObject, String resourceVersion,
                                   String continueToken, long remaining) {
        return table(type, custom, objects, withColumns, includeObject, resourceVersion, continueToken, remaining, V1);
    }

    /** As above in {@code apiVersion} ({@link #V1} or {@code meta.k8s.io/v1beta1}). */
    public static ObjectNode table(ResourceType type, TablePrinter custom, List<ObjectNode> objects,
                                   boolean withColumns, String includeObject, String resourceVersion,
                                   String continueToken, long remaining, String apiVersion) {
        TablePrinter printer = printer(type, custom);
        ObjectNode table = head(printer, withColumns, resourceVersion, continueToken, remaining, apiVersion);
        ArrayNode rows = (ArrayNode) table.get("rows");
        Instant now = Instant.now();
        for (ObjectNode obj : objects) {
            rows.add(row(printer, obj, includeObject, now, apiVersion));
        }
        return table;
    }

    /** {@code custom}, or the kind's printer when it is null. */
    static TablePrinter printer(ResourceType type, TablePrinter custom) {
        return custom != null ? custom : TablePrinters.forKind(type.group(), type.kind());
    }

    /** The Table without rows: kind, metadata, column definitions and an empty {@code rows} array, last. */
    static ObjectNode head(TablePrinter printer, boolean withColumns, String resourceVersion, String continueToken,
                           long remaining, String apiVersion) {
        ObjectNode table = Json.object();
        table.put("kind", "Table");
        table.put("apiVersion", apiVersion);
        ObjectNode metadata = table.putObject("metadata");
        if (resourceVersion != null) {
            metadata.put("resourceVersion", resourceVersion);
        }
        if (continueToken != null) {
            metadata.put("continue", continueToken);
        }
        if (remaining > 0) {
            metadata.put("remainingItemCount", remaining);
        }
        ArrayNode columns = table.putArray("columnDefinitions");
        if (withColumns) {
            for (Column column : printer.columns()) {
                ObjectNode c = columns.addObject();
                c.put("name", column.name());
                c.put("type", column.type());
                c.put("format", column.format() == null ? "" : column.format());
                c.put("description", column.description() == null ? "" : column.description());
                c.put("priority", column.priority());
            }
        }
        table.putArray("rows");
        return table;
    }

    /**
     * Refuses an {@code includeObject} upstream's ValidateTableOptions refuses (400): only Metadata, Object, None or
     * nothing, as spelled.
     */
    static void checkIncludeObject(String includeObject) {
        if (includeObject != null && !includeObject.isEmpty() && !includeObject.equals("Metadata")
                && !includeObject.equals("Object") && !includeObject.equals("None")) {
            throw StatusException.badRequest("Unable to convert to Table as requested: includeObject: Invalid value: "
                    + "\"" + includeObject + "\": must be 'Metadata', 'Object', 'None', or empty");
        }
    }

    /** Whether a row carries the whole object ({@code includeObject=Object}). */
    static boolean includesObject(String includeObject) {
        return "Object".equalsIgnoreCase(includeObject);
    }

    /** Whether a row carries the object's metadata as a PartialObjectMetadata (the default, {@code Metadata}). */
    static boolean includesMetadata(String includeObject) {
        return !includesObject(includeObject) && !"None".equalsIgnoreCase(includeObject);
    }

    /**
     * The row of {@code obj}: its cells and, as {@code includeObject} asks, the object or its metadata as a
     * PartialObjectMetadata of the Table's version.
     */
    static ObjectNode row(TablePrinter printer, ObjectNode obj, String includeObject, Instant now, String apiVersion) {
        ObjectNode row = cells(printer, obj, now);
        if (includesObject(includeObject)) {
            row.set("object", obj);
        } else if (includesMetadata(includeObject)) {
            row.set("object", PartialObjectMetadata.of(obj, apiVersion));
        }
        return row;
    }

    /** A row with only its cells ({@code {"cells":[...]}}). */
    static ObjectNode cells(TablePrinter printer, ObjectNode obj, Instant now) {
        ObjectNode row = Json.object();
        ArrayNode cells = row.putArray("cells");
        for (Object cell : printer.cells(obj, now)) {
            if (cell == null) {
                cells.addNull();
            } else if (cell instanceof Integer i) {
                cells.add(i);
            } else if (cell instanceof Long l) {
                cells.add(l);
            } else if (cell instanceof Boolean b) {
                cells.add(b);
            } else if (cell instanceof Double d) {
                cells.add(d);
            } else {
                cells.add(cell.toString());
            }
        }
        return row;
    }
}

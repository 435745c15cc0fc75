package io.kube4j.apiserver.endpoints;

import io.kube4j.api.printers.Column;
import io.kube4j.api.printers.TablePrinter;
import io.kube4j.api.printers.TablePrinters;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/** Turns objects into meta.k8s.io/v1 Tables with the kind's printer columns, as kubectl get asks for. */
public final class Tables {

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
        TablePrinter printer = custom != null ? custom : TablePrinters.forKind(type.group(), type.kind());
        ObjectNode table = Json.object();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
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
        ArrayNode rows = table.putArray("rows");
        Instant now = Instant.now();
        for (ObjectNode obj : objects) {
            ObjectNode row = rows.addObject();
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
            if ("Object".equalsIgnoreCase(includeObject)) {
                row.set("object", obj);
            } else if (!"None".equalsIgnoreCase(includeObject)) {
                ObjectNode partial = row.putObject("object");
                partial.put("kind", "PartialObjectMetadata");
                partial.put("apiVersion", "meta.k8s.io/v1");
                partial.set("metadata", obj.path("metadata").deepCopy());
            }
        }
        return table;
    }
}

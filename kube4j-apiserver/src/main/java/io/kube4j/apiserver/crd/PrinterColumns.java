package io.kube4j.apiserver.crd;

import io.kube4j.api.printers.Column;
import io.kube4j.api.printers.HumanDuration;
import io.kube4j.api.printers.TablePrinter;
import io.kube4j.api.printers.TablePrinters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Table of a custom resource version: Name, the CRD's additionalPrinterColumns (priority above 0 only
 * with {@code -o wide}) and, when the CRD declares no columns, Age, as upstream's table convertor.
 */
public final class PrinterColumns implements TablePrinter {

    private final List<Column> columns = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    public PrinterColumns(JsonNode definitions) {
        columns.add(TablePrinters.DEFAULT.columns().get(0));
        paths.add(null);
        if (definitions == null || !definitions.isArray() || definitions.isEmpty()) {
            columns.add(TablePrinters.DEFAULT.columns().get(1));
            paths.add(".metadata.creationTimestamp");
            return;
        }
        for (JsonNode d : definitions) {
            columns.add(new Column(d.path("name").asString(""), d.path("type").asString("string"),
                    d.path("format").asString(""), d.path("description").asString(""), d.path("priority").asInt(0)));
            paths.add(d.path("jsonPath").asString(""));
        }
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public List<Object> cells(ObjectNode obj, Instant now) {
        List<Object> cells = new ArrayList<>();
        cells.add(obj.path("metadata").path("name").asString(""));
        for (int i = 1; i < columns.size(); i++) {
            JsonNode value = SimpleJsonPath.get(obj, paths.get(i));
            cells.add(cell(columns.get(i).type(), value, now));
        }
        return cells;
    }

    private static boolean isTimestamp(String text) {
        try {
            java.time.OffsetDateTime.parse(text);
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private static Object cell(String type, JsonNode value, Instant now) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        return switch (type) {
            // upstream's cellForJSONValue: a date prints as its age, as kubectl shows AGE for built-in kinds
            case "date" -> !value.isString() ? null
                    : !isTimestamp(value.asString()) ? "<invalid>" : HumanDuration.since(value.asString(), now);
            case "integer" -> value.isIntegralNumber() ? (Object) value.asLong() : value.toString();
            case "number" -> value.isNumber() ? (Object) value.asDouble() : value.toString();
            case "boolean" -> value.isBoolean() ? (Object) value.asBoolean() : value.toString();
            default -> value.isString() ? value.asString() : value.toString();
        };
    }
}

package io.kube4j.apiserver.discovery;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The enum values upstream's OpenAPI documents carry on built-in string fields ({@code enum} and a "Possible enum
 * values" paragraph in the description, which {@code kubectl explain} prints as ENUM lines). The fabric8 model the
 * documents are generated from has plain strings there, so the values come from a table of our own
 * ({@code openapi-enums.txt} beside this class). Applied to a copy of a generated document's definitions (v2) or
 * schemas (v3); a field the document does not have is left alone.
 */
final class OpenApiEnums {

    /** One field of the table; {@code items}: a list whose elements take the values. */
    record Field(String definition, String property, boolean items, List<String> values) {
    }

    private static final String RESOURCE = "openapi-enums.txt";
    private static final OpenApiEnums BUILTIN = load();

    /** definition name to its fields. */
    private final Map<String, List<Field>> fields;
    private final String fingerprint;

    private OpenApiEnums(Map<String, List<Field>> fields, String fingerprint) {
        this.fields = fields;
        this.fingerprint = fingerprint;
    }

    /** The table of the built-in types. */
    static OpenApiEnums builtin() {
        return BUILTIN;
    }

    /** Every field of the table. */
    List<Field> fields() {
        return fields.values().stream().flatMap(List::stream).toList();
    }

    /** Changes whenever the table does: mixed into document hashes, so clients refetch cached documents. */
    String fingerprint() {
        return fingerprint;
    }

    /**
     * Adds the values to the fields of {@code definitions} (a v2 {@code definitions} or v3
     * {@code components.schemas} object, changed in place); returns the fields the document had.
     */
    Set<Field> apply(ObjectNode definitions) {
        Set<Field> applied = new HashSet<>();
        fields.forEach((definition, list) -> {
            JsonNode properties = definitions.path(definition).path("properties");
            for (Field field : list) {
                if (properties.get(field.property()) instanceof ObjectNode property && apply(field, property)) {
                    applied.add(field);
                }
            }
        });
        return applied;
    }

    private static boolean apply(Field field, ObjectNode property) {
        ObjectNode target = property;
        if (field.items()) {
            if (!(property.get("items") instanceof ObjectNode items)) {
                return false;
            }
            target = items;
        }
        if (!"string".equals(target.path("type").asString(null))) {
            return false; // not the plain string the table describes: leave the schema as generated
        }
        ArrayNode values = target.putArray("enum");
        field.values().forEach(values::add);
        property.put("description", describe(property.path("description").asString(""), field.values()));
        return true;
    }

    /** Upstream's paragraph after a field's own description, one value a line. */
    static String describe(String description, List<String> values) {
        StringBuilder text = new StringBuilder(description);
        if (!description.isEmpty()) {
            text.append("\n\n");
        }
        text.append("Possible enum values:");
        values.forEach(v -> text.append("\n - `\"").append(v).append("\"`"));
        return text.toString();
    }

    private static OpenApiEnums load() {
        try (InputStream in = OpenApiEnums.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the table's text: {@code <definition> <property>[[]] <value>...} a line, {@code #} comments. */
    static OpenApiEnums parse(String text) {
        Map<String, List<Field>> fields = new TreeMap<>();
        try (BufferedReader reader = new BufferedReader(new StringReader(text))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] words = trimmed.split("\\s+");
                if (words.length < 3) {
                    throw new IllegalArgumentException(RESOURCE + " line " + number + ": no values: " + line);
                }
                boolean items = words[1].endsWith("[]");
                String property = items ? words[1].substring(0, words[1].length() - 2) : words[1];
                Set<String> values = new TreeSet<>();
                for (int i = 2; i < words.length; i++) {
                    values.add(words[i].equals("\"\"") ? "" : words[i]);
                }
                fields.computeIfAbsent(words[0], d -> new ArrayList<>())
                        .add(new Field(words[0], property, items, List.copyOf(values)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        return new OpenApiEnums(fields, Integer.toHexString(text.hashCode()));
    }
}

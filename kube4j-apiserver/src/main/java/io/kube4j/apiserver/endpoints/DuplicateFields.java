package io.kube4j.apiserver.endpoints;

import io.kube4j.apiserver.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds keys given twice in one object of a request body. The tree a mapper builds keeps only the last value,
 * so the duplicates are found on the token stream, once, in document order - as upstream's strict decoding
 * reports them: {@code duplicate field "x"} for JSON, {@code line N: key "x" already set in map} for YAML.
 */
final class DuplicateFields {

    private DuplicateFields() {
    }

    /** The messages for the duplicates in {@code body}; empty when there are none or the body does not parse. */
    static List<String> find(byte[] body, boolean yaml) {
        List<String> found = new ArrayList<>();
        Deque<Set<String>> objects = new ArrayDeque<>();
        try (JsonParser parser = yaml ? Json.YAML.createParser(body) : Json.MAPPER.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case START_OBJECT -> objects.push(new HashSet<>());
                    case END_OBJECT -> objects.pop();
                    case PROPERTY_NAME -> {
                        String name = parser.currentName();
                        if (!objects.isEmpty() && !objects.peek().add(name)) {
                            found.add(yaml
                                    ? "line " + parser.currentTokenLocation().getLineNr() + ": key \"" + name
                                            + "\" already set in map"
                                    : "duplicate field \"" + name + "\"");
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (JacksonException unparsable) {
            // the decoder that follows answers a body that does not parse
        }
        return found;
    }
}

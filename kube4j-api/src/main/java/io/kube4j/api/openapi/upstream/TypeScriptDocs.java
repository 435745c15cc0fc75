package io.kube4j.api.openapi.upstream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the doc comments of a TypeScript declaration file as the npm package {@code kubernetes-types} writes them
 * from upstream's OpenAPI document: one {@code export interface Kind { ... }} (or {@code export type Name = ...;})
 * per definition, each preceded by a doc comment holding the definition's description, and inside an interface one
 * doc comment before each property holding the field's description. A multi-line comment keeps one description line
 * per comment line ({@code " * "} prefixes), so joining them with newlines gives upstream's text back.
 */
final class TypeScriptDocs {

    private static final Pattern INTERFACE = Pattern.compile("^export interface (\\w+)\\b.*\\{\\s*$");
    private static final Pattern TYPE_ALIAS = Pattern.compile("^export type (\\w+)\\s*=");
    /** A property at the interface's top level: {@code name?: T;}, {@code readonly status?: T;}, {@code $ref?: T}. */
    private static final Pattern PROPERTY = Pattern.compile("^\\s*(?:readonly\\s+)?(\"[^\"]+\"|'[^']+'|[$\\w]+)\\??:");

    private TypeScriptDocs() {
    }

    /**
     * Definition name (the TypeScript name, which is upstream's last name segment) to its descriptions: key {@code ""}
     * for the definition's own, and each described property's JSON name. Definitions and properties without a doc
     * comment are left out.
     */
    static Map<String, Map<String, String>> parse(String source) {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        String[] lines = source.split("\n", -1);
        String pending = null;      // the last doc comment read, until the declaration it documents
        Map<String, String> current = null; // the interface being read
        int depth = 0;              // brace depth inside the current interface (1: its properties)
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.trim();
            if (trimmed.startsWith("/**")) {
                List<String> comment = new ArrayList<>();
                i = readComment(lines, i, comment);
                pending = String.join("\n", comment).strip();
                continue;
            }
            if (current == null) {
                Matcher m = INTERFACE.matcher(trimmed);
                Matcher alias = TYPE_ALIAS.matcher(trimmed);
                if (m.find()) {
                    current = new LinkedHashMap<>();
                    if (pending != null && !pending.isEmpty()) {
                        current.put("", pending);
                    }
                    result.put(m.group(1), current);
                    depth = 1;
                } else if (alias.find() && pending != null && !pending.isEmpty()) {
                    result.computeIfAbsent(alias.group(1), k -> new LinkedHashMap<>()).put("", pending);
                }
                pending = null;
                continue;
            }
            if (depth == 1) {
                Matcher m = PROPERTY.matcher(line);
                if (m.find() && pending != null && !pending.isEmpty()) {
                    current.put(unquote(m.group(1)), pending);
                }
            }
            pending = null;
            depth += count(line, '{') - count(line, '}');
            if (depth <= 0) {
                current = null;
                depth = 0;
            }
        }
        return result;
    }

    /** Reads the comment starting at {@code lines[start]} into {@code into}; returns the index of its last line. */
    private static int readComment(String[] lines, int start, List<String> into) {
        String first = lines[start].trim().substring("/**".length());
        if (first.endsWith("*/")) {
            into.add(first.substring(0, first.length() - 2).strip());
            return start;
        }
        if (!first.isBlank()) {
            into.add(first.strip());
        }
        for (int i = start + 1; i < lines.length; i++) {
            String trimmed = lines[i].trim();
            boolean last = trimmed.endsWith("*/");
            if (last) {
                trimmed = trimmed.substring(0, trimmed.length() - 2).trim();
            }
            if (trimmed.startsWith("*")) {
                // " * text": drop the star and the one space after it, keep further indentation (code blocks)
                trimmed = trimmed.substring(1);
                trimmed = trimmed.startsWith(" ") ? trimmed.substring(1) : trimmed;
            }
            if (!(last && trimmed.isEmpty())) {
                into.add(trimmed.stripTrailing());
            }
            if (last) {
                return i;
            }
        }
        return lines.length - 1;
    }

    private static String unquote(String name) {
        char first = name.charAt(0);
        return first == '"' || first == '\'' ? name.substring(1, name.length() - 1) : name;
    }

    private static int count(String line, char c) {
        int n = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}

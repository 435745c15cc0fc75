package io.kube4j.runtime.util;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One shared mapper and atomic JSON files: state survives a SIGKILL at any point. Jackson 3, as the rest of the agent
 * JVM (fabric8, kube4j-api): a second Jackson would load its ~460 classes again. Jackson 2's defaults (e.g. a missing
 * boolean in a record written by an older kube4j reads as false), so state files of earlier versions still read.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builderWithJackson2Defaults()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        }
    }

    public static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
        }
    }

    public static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (JacksonException e) {
            throw unreadable(file, e);
        }
    }

    public static <T> T read(Path file, Class<T> type) {
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (JacksonException e) {
            throw unreadable(file, e);
        }
    }

    /** Jackson 3's exceptions are unchecked; callers of a file read keep getting the I/O failure they expect. */
    private static UncheckedIOException unreadable(Path file, JacksonException e) {
        IOException cause = e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
        return new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), cause);
    }

    public static void write(Path file, Object value) {
        AtomicFiles.write(file, bytes(value));
    }

    /** Atomic replace through a temporary file in the same directory. */
    public static final class AtomicFiles {
        private AtomicFiles() {
        }

        public static void write(Path file, byte[] content) {
            try {
                Files.createDirectories(file.getParent());
                Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
                Files.write(tmp, content);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }

    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort
        }
    }

    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? "" : value.asString("");
    }
}

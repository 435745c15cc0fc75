package io.kube4j.apiserver.crd;

import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.StoredForm;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one served version of a custom resource maps to its storage, as upstream's CRD storage codec with the
 * {@code None} conversion strategy: objects are written in the storage version (only apiVersion changes), and an
 * object read back gets the defaults of the schema of the version it was stored in (so an object stored before a
 * default was added shows it, without being rewritten), then is labelled with the served version.
 * Reading costs nothing beyond the apiVersion check when no version's schema has a default.
 */
public final class CustomResourceStorage implements StoredForm {

    private final String servedApiVersion;
    private final String storageApiVersion;
    /** apiVersion to the schema of that version, only for versions whose schema has at least one default. */
    private final Map<String, JsonNode> defaulting;
    private final String key;

    CustomResourceStorage(String servedApiVersion, String storageApiVersion, Map<String, JsonNode> defaulting) {
        this.servedApiVersion = servedApiVersion;
        this.storageApiVersion = storageApiVersion;
        this.defaulting = Map.copyOf(defaulting);
        this.key = servedApiVersion + "#" + storageApiVersion + "#" + fingerprint(new TreeMap<>(defaulting));
    }

    /** The storage of {@code served} (a version of {@code crd}). */
    public static CustomResourceStorage of(Crd crd, CrdVersion served) {
        Map<String, JsonNode> defaulting = new TreeMap<>();
        for (CrdVersion version : crd.versions()) {
            if (hasDefaults(version.schema())) {
                defaulting.put(apiVersion(crd, version.name()), version.schema());
            }
        }
        String storage = crd.storageVersion().isEmpty() ? served.name() : crd.storageVersion();
        return new CustomResourceStorage(apiVersion(crd, served.name()), apiVersion(crd, storage), defaulting);
    }

    /**
     * Identifies what reading does: two storages with the same key decode stored objects alike, so they may share
     * one watch cache; a CRD change that alters defaults or versions gives a new key (and a fresh cache).
     */
    public String key() {
        return key;
    }

    public boolean defaultsOnRead() {
        return !defaulting.isEmpty();
    }

    @Override
    public ObjectNode toStored(ObjectNode served) {
        if (storageApiVersion.equals(Json.text(served, "apiVersion"))) {
            return served;
        }
        ObjectNode stored = served.deepCopy();
        stored.put("apiVersion", storageApiVersion);
        return stored;
    }

    /** {@code stored} is freshly decoded, so it is changed in place. */
    @Override
    public ObjectNode toServed(ObjectNode stored) {
        String apiVersion = Json.text(stored, "apiVersion");
        if (!defaulting.isEmpty()) {
            JsonNode schema = defaulting.get(apiVersion == null ? storageApiVersion : apiVersion);
            if (schema != null) {
                SchemaDefaults.apply(schema, stored);
            }
        }
        if (!servedApiVersion.equals(apiVersion)) {
            stored.put("apiVersion", servedApiVersion);
        }
        return stored;
    }

    /** Whether a {@code default} appears anywhere in {@code schema} (upstream forbids one at the root). */
    static boolean hasDefaults(JsonNode schema) {
        if (schema == null || !schema.isContainer()) {
            return false;
        }
        if (schema.isObject() && schema.has("default")) {
            return true;
        }
        for (JsonNode child : schema.values()) {
            if (hasDefaults(child)) {
                return true;
            }
        }
        return false;
    }

    private static String apiVersion(Crd crd, String version) {
        return crd.group() + "/" + version;
    }

    private static String fingerprint(Map<String, JsonNode> defaulting) {
        if (defaulting.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        defaulting.forEach((version, schema) -> text.append(version).append('\n').append(schema).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

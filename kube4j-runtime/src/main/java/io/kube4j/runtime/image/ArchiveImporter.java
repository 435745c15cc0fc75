package io.kube4j.runtime.image;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import io.kube4j.runtime.util.Commands;
import io.kube4j.runtime.util.FileTrees;
import io.kube4j.runtime.util.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Imports OCI image archives (a tar of an OCI image layout, as {@code skopeo copy oci-archive:} and
 * {@code build-busybox-image} write) into the store. Names come from the index annotations
 * {@code io.containerd.image.name} or {@code org.opencontainers.image.ref.name}.
 */
public final class ArchiveImporter {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveImporter.class);
    private static final String CONTAINERD_NAME = "io.containerd.image.name";

    private final ImageStore store;

    public ArchiveImporter(ImageStore store) {
        this.store = store;
    }

    /**
     * Imports every {@code *.tar} in a directory, skipping an archive imported before in this exact
     * version (path, size, modification time), so restarts and rescans are cheap. With
     * {@code restoreRemoved} (at start) an archive whose images were removed is imported again, as
     * air-gapped nodes expect; a periodic rescan leaves them removed, or it would fight image GC.
     * A bad archive is logged and skipped.
     */
    public synchronized List<ImageRecord> importDirectory(Path dir, boolean restoreRemoved) {
        List<ImageRecord> imported = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return imported;
        }
        Path seenFile = store.root().resolve("imported-archives.json");
        ObjectNode seen = Files.exists(seenFile) ? (ObjectNode) Json.read(seenFile) : Json.object();
        boolean changed = false;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path archive : files.filter(f -> f.getFileName().toString().endsWith(".tar")).sorted().toList()) {
                String key = archive.toAbsolutePath() + "|" + Files.size(archive) + "|" + Files.getLastModifiedTime(archive).toMillis();
                if (seen.has(key) && (!restoreRemoved || allPresent(seen.get(key)))) {
                    continue;
                }
                try {
                    List<ImageRecord> images = importArchive(archive);
                    imported.addAll(images);
                    ArrayNode ids = seen.putArray(key);
                    images.forEach(i -> ids.add(i.manifestDigest()));
                    changed = true;
                } catch (RuntimeException e) {
                    LOG.warn("cannot import image archive {}: {}", archive, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list image directory {}: {}", dir, e.getMessage());
        }
        if (changed) {
            Json.write(seenFile, seen);
        }
        return imported;
    }

    private boolean allPresent(JsonNode manifestDigests) {
        for (JsonNode digest : manifestDigests) {
            if (store.find(digest.asString("")).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    public List<ImageRecord> importArchive(Path archive) {
        if (!Files.isRegularFile(archive)) {
            throw new IllegalArgumentException("image archive " + archive + " does not exist");
        }
        Path staging = store.root().resolve(".import-" + System.nanoTime());
        try {
            Files.createDirectories(staging);
            Commands.check(List.of("tar", "-xf", archive.toString(), "-C", staging.toString()));
            if (!Files.exists(staging.resolve("index.json"))) {
                throw new IllegalArgumentException(archive + " is not an OCI image archive (no index.json)");
            }
            List<ImageRecord> imported = new ArrayList<>();
            JsonNode index = Json.read(staging.resolve("index.json"));
            String fallbackName = archive.getFileName().toString().replaceFirst("\\.tar$", "");
            for (JsonNode descriptor : index.path("manifests")) {
                String name = nameOf(descriptor, fallbackName);
                String manifest = chooseManifest(staging, descriptor);
                if (manifest == null) {
                    LOG.warn("{}: no linux/amd64 image for {}", archive, name);
                    continue;
                }
                copyImageBlobs(staging, manifest);
                List<ImageReference> names = name == null ? List.of() : List.of(ImageReference.parse(name));
                ImageRecord image = store.tag(manifest, names);
                store.unpackedLayers(image);
                imported.add(image);
                LOG.info("imported image {} ({}) from {}", name, image.id(), archive);
            }
            return imported;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import " + archive + ": " + e.getMessage(), e);
        } finally {
            FileTrees.deleteRecursively(staging);
        }
    }

    private static String nameOf(JsonNode descriptor, String fallbackName) {
        JsonNode annotations = descriptor.path("annotations");
        String full = annotations.path(CONTAINERD_NAME).asString("");
        if (!full.isEmpty()) {
            return full;
        }
        String ref = annotations.path(ImageStore.REF_NAME).asString("");
        if (ref.isEmpty()) {
            return null;
        }
        // The OCI spec lets ref.name be just a tag ("latest"): name it after the archive then.
        if (!ref.contains("/") && !ref.contains(":")) {
            return fallbackName + ":" + ref;
        }
        return ref;
    }

    /** Follows nested indexes (multi-platform images) down to the linux/amd64 manifest. */
    private String chooseManifest(Path layout, JsonNode descriptor) {
        String mediaType = descriptor.path("mediaType").asString("");
        String digest = descriptor.path("digest").asString("");
        if (!mediaType.contains("index") && !mediaType.contains("manifest.list")) {
            return digest;
        }
        JsonNode nested = Json.read(blob(layout, digest));
        for (JsonNode child : nested.path("manifests")) {
            JsonNode platform = child.path("platform");
            if (platform.isMissingNode() || (platform.path("os").asString("").equals("linux")
                    && platform.path("architecture").asString("").equals("amd64"))) {
                copy(layout, digest);
                return chooseManifest(layout, child);
            }
        }
        return null;
    }

    private void copyImageBlobs(Path layout, String manifestDigest) {
        JsonNode manifest = Json.read(blob(layout, manifestDigest));
        copy(layout, manifest.path("config").path("digest").asString(""));
        for (JsonNode layer : manifest.path("layers")) {
            copy(layout, layer.path("digest").asString(""));
        }
        copy(layout, manifestDigest);
    }

    private void copy(Path layout, String digest) {
        if (!store.hasBlob(digest)) {
            store.putBlob(digest, blob(layout, digest));
        }
    }

    private static Path blob(Path layout, String digest) {
        Path file = layout.resolve("blobs/sha256").resolve(Digests.hex(digest));
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("archive is missing blob " + digest);
        }
        return file;
    }
}

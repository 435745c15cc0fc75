package io.kube4j.runtime.image;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import io.kube4j.runtime.util.FileTrees;
import io.kube4j.runtime.util.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A content-addressed image store laid out as an OCI image layout ({@code blobs/sha256/...} and an
 * {@code index.json} whose entries carry one tag each in {@code org.opencontainers.image.ref.name}),
 * plus each layer unpacked once under {@code layers/<digest>}.
 */
public final class ImageStore {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(ImageStore.class);

    private final Path root;
    private final Path blobs;
    private final Path layers;
    /** Canonical tagged name (or name@digest) to manifest digest. */
    private final Map<String, String> tags = new TreeMap<>();
    private final Map<String, ImageRecord> byManifest = new HashMap<>();

    public ImageStore(Path imagesRoot, Path layersRoot) {
        this.root = imagesRoot;
        this.blobs = imagesRoot.resolve("blobs/sha256");
        this.layers = layersRoot;
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(layers);
            if (!Files.exists(root.resolve("oci-layout"))) {
                Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create image store in " + root + ": " + e.getMessage(), e);
        }
        load();
    }

    private synchronized void load() {
        Path index = root.resolve("index.json");
        if (!Files.exists(index)) {
            return;
        }
        for (JsonNode entry : Json.read(index).path("manifests")) {
            String name = entry.path("annotations").path(REF_NAME).asString("");
            String digest = entry.path("digest").asString("");
            try {
                record(digest);
                tags.put(name, digest);
            } catch (RuntimeException e) {
                LOG.warn("dropping image {} from the store: {}", name, e.getMessage());
            }
        }
        byManifest.keySet().retainAll(tags.values());
    }

    public Path blobPath(String digest) {
        return blobs.resolve(Digests.hex(digest));
    }

    public boolean hasBlob(String digest) {
        return Files.exists(blobPath(digest));
    }

    /** Stores content read from a stream, verifying it against the digest it claims to have. */
    public void putBlob(String expectedDigest, InputStream content) {
        Path target = blobPath(expectedDigest);
        if (Files.exists(target)) {
            return;
        }
        Path tmp = blobs.resolve(".in-" + Digests.hex(expectedDigest) + "-" + System.nanoTime());
        try {
            String actual;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                actual = Digests.copy(content, out);
            }
            if (!actual.equals(expectedDigest)) {
                throw new IllegalArgumentException("digest mismatch: expected " + expectedDigest + ", content is " + actual);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store blob " + expectedDigest + ": " + e.getMessage(), e);
        } finally {
            Json.deleteQuietly(tmp);
        }
    }

    public void putBlob(String expectedDigest, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            putBlob(expectedDigest, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] readBlob(String digest) {
        try {
            return Files.readAllBytes(blobPath(digest));
        } catch (IOException e) {
            throw new UncheckedIOException("missing blob " + digest + " in the image store", e);
        }
    }

    /** Records that the manifest (whose blobs are all stored) is known by these names; returns the image. */
    public synchronized ImageRecord tag(String manifestDigest, List<ImageReference> names) {
        ImageRecord image = record(manifestDigest);
        for (ImageReference name : names) {
            tags.put(name.hasTag() ? name.taggedName() : name.toString(), manifestDigest);
        }
        byManifest.keySet().retainAll(tags.values());
        saveIndex();
        return byManifest.get(manifestDigest);
    }

    private ImageRecord record(String manifestDigest) {
        ImageRecord cached = byManifest.get(manifestDigest);
        if (cached != null) {
            return cached;
        }
        JsonNode manifest = Json.parse(readBlob(manifestDigest));
        String configDigest = manifest.path("config").path("digest").asString("");
        ImageConfig config = ImageConfig.parse(Json.parse(readBlob(configDigest)));
        long size = manifest.path("config").path("size").asLong(0);
        List<String> layerDigests = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            layerDigests.add(layer.path("digest").asString(""));
            size += layer.path("size").asLong(0);
        }
        ImageRecord image = new ImageRecord(configDigest, manifestDigest, List.of(), List.of(), Math.max(size, 1),
                List.copyOf(layerDigests), config);
        byManifest.put(manifestDigest, image);
        return image;
    }

    private void saveIndex() {
        ObjectNode index = Json.object();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode manifests = index.putArray("manifests");
        tags.forEach((name, digest) -> {
            ObjectNode entry = manifests.addObject();
            entry.put("mediaType", MANIFEST_TYPE);
            entry.put("digest", digest);
            entry.put("size", blobSize(digest));
            entry.putObject("annotations").put(REF_NAME, name);
        });
        Json.write(root.resolve("index.json"), index);
    }

    private long blobSize(String digest) {
        try {
            return Files.size(blobPath(digest));
        } catch (IOException e) {
            return 0;
        }
    }

    public synchronized List<ImageRecord> list() {
        Map<String, List<String>> namesByManifest = new LinkedHashMap<>();
        tags.forEach((name, digest) -> namesByManifest.computeIfAbsent(digest, d -> new ArrayList<>()).add(name));
        List<ImageRecord> images = new ArrayList<>();
        namesByManifest.forEach((digest, names) -> images.add(withNames(byManifest.get(digest), names)));
        return images;
    }

    private ImageRecord withNames(ImageRecord image, List<String> names) {
        Set<String> repoTags = new java.util.LinkedHashSet<>();
        Set<String> repoDigests = new java.util.LinkedHashSet<>();
        for (String name : names) {
            ImageReference ref = ImageReference.parse(name);
            if (ref.hasTag()) {
                repoTags.add(ref.taggedName());
                // Official images answer to their short name too, as the busybox archive promises.
                if (!ref.familiarName().equals(ref.taggedName())) {
                    repoTags.add(ref.familiarName());
                }
            }
            repoDigests.add(ref.repository() + "@" + image.manifestDigest());
        }
        return new ImageRecord(image.id(), image.manifestDigest(), List.copyOf(repoTags), List.copyOf(repoDigests),
                image.size(), image.layerDigests(), image.config());
    }

    /** Finds an image by ID (full or a unique prefix of 12+ hex digits), name:tag or name@digest. */
    public synchronized Optional<ImageRecord> find(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("image reference is empty");
        }
        String hex = image.startsWith("sha256:") ? image.substring(7) : image;
        if (hex.matches("[0-9a-f]{12,64}")) {
            List<ImageRecord> matches = list().stream()
                    .filter(i -> i.id().substring(7).startsWith(hex) || i.manifestDigest().substring(7).equals(hex)).toList();
            if (matches.size() == 1) {
                return Optional.of(matches.get(0));
            }
            if (hex.length() == 64 || image.startsWith("sha256:")) {
                return Optional.empty();
            }
        }
        ImageReference ref = ImageReference.parse(image);
        String manifest;
        if (ref.hasDigest()) {
            String wanted = ref.digest();
            manifest = tags.values().stream().filter(wanted::equals).findFirst().orElse(null);
        } else {
            manifest = tags.get(ref.taggedName());
        }
        if (manifest == null) {
            return Optional.empty();
        }
        String digest = manifest;
        return list().stream().filter(i -> i.manifestDigest().equals(digest)).findFirst();
    }

    public ImageRecord require(String image) {
        return find(image).orElseThrow(() -> new ImageNotFoundException(image));
    }

    /**
     * Removes every name of the image, then blobs and unpacked layers nothing else uses. Layers a
     * container still runs on are kept: deleting an overlay lower directory would break it.
     */
    public synchronized boolean remove(String image, Predicate<String> layerInUse) {
        Optional<ImageRecord> found = find(image);
        if (found.isEmpty()) {
            return false;
        }
        String manifest = found.get().manifestDigest();
        tags.values().removeIf(manifest::equals);
        byManifest.keySet().retainAll(tags.values());
        saveIndex();
        collectGarbage(layerInUse);
        return true;
    }

    private void collectGarbage(Predicate<String> layerInUse) {
        Set<String> live = new HashSet<>();
        Set<String> liveLayers = new HashSet<>();
        for (ImageRecord image : byManifest.values()) {
            live.add(Digests.hex(image.manifestDigest()));
            live.add(Digests.hex(image.id()));
            image.layerDigests().forEach(l -> live.add(Digests.hex(l)));
            image.layerDigests().forEach(l -> liveLayers.add(Digests.hex(l)));
        }
        try (Stream<Path> files = Files.list(blobs)) {
            files.filter(f -> !live.contains(f.getFileName().toString()) && !f.getFileName().toString().startsWith("."))
                    .forEach(Json::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("image garbage collection failed: {}", e.getMessage());
        }
        try (Stream<Path> dirs = Files.list(layers)) {
            dirs.filter(d -> !d.getFileName().toString().startsWith("."))
                    .filter(d -> !liveLayers.contains(d.getFileName().toString()))
                    .filter(d -> !layerInUse.test("sha256:" + d.getFileName()))
                    .forEach(FileTrees::deleteRecursively);
        } catch (IOException e) {
            LOG.warn("layer garbage collection failed: {}", e.getMessage());
        }
    }

    /** The unpacked layer directories of an image, bottom layer first; unpacks any not yet unpacked. */
    public List<Path> unpackedLayers(ImageRecord image) {
        List<Path> dirs = new ArrayList<>();
        for (String digest : image.layerDigests()) {
            Path dir = layers.resolve(Digests.hex(digest));
            synchronized (this) {
                if (!Files.isDirectory(dir)) {
                    LayerUnpacker.unpack(blobPath(digest), dir);
                }
            }
            dirs.add(dir);
        }
        return dirs;
    }

    /** Bytes and inodes used by blobs and unpacked layers. */
    public long[] usage() {
        long[] blobUsage = FileTrees.usage(blobs);
        long[] layerUsage = FileTrees.usage(layers);
        return new long[] {blobUsage[0] + layerUsage[0], blobUsage[1] + layerUsage[1]};
    }

    public Path root() {
        return root;
    }
}

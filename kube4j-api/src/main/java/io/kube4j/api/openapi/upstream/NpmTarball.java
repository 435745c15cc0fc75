package io.kube4j.api.openapi.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * One pinned npm package tarball: kept in a cache directory outside the source tree, fetched from the registry when
 * missing, checked against the registry's {@code dist.integrity} (SHA-512) so a changed or truncated download is never
 * used, and read as the text files it holds.
 */
record NpmTarball(String name, String version, String integrity) {

    private static final String REGISTRY = "https://registry.npmjs.org/";

    /** The file name {@code bin/setup} and this build share, e.g. {@code kubernetes-types-1.30.0.tgz}. */
    String fileName() {
        return name + "-" + version + ".tgz";
    }

    URI url() {
        return URI.create(REGISTRY + name + "/-/" + fileName());
    }

    /** The cached tarball, if present and intact (a damaged one is removed so the next fetch replaces it). */
    boolean cachedIn(Path cache) throws IOException {
        Path file = cache.resolve(fileName());
        if (!Files.isRegularFile(file)) {
            return false;
        }
        if (matches(Files.readAllBytes(file))) {
            return true;
        }
        Files.delete(file);
        return false;
    }

    /** Downloads the tarball into {@code cache}; throws if the registry cannot be reached or the bytes are wrong. */
    void fetchInto(Path cache) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(url()).timeout(Duration.ofSeconds(60))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(url() + " answered " + response.statusCode());
        }
        if (!matches(response.body())) {
            throw new IOException(url() + " does not match its integrity " + integrity);
        }
        Files.createDirectories(cache);
        Path partial = Files.createTempFile(cache, fileName(), ".part");
        Files.write(partial, response.body());
        Files.move(partial, cache.resolve(fileName()), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The text of each regular file in the cached tarball whose path (without npm's leading {@code package/}) is
     * accepted, by that path. npm tarballs are plain ustar archives: a 512-byte header per entry, then its content
     * padded to 512 bytes.
     */
    Map<String, String> files(Path cache, Predicate<String> accept) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(cache.resolve(fileName())))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String path = field(header, 345, 155).isEmpty() ? field(header, 0, 100)
                        : field(header, 345, 155) + "/" + field(header, 0, 100);
                long size = Long.parseLong(field(header, 124, 12).isEmpty() ? "0" : field(header, 124, 12), 8);
                byte type = header[156];
                byte[] content = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                String relative = path.startsWith("package/") ? path.substring("package/".length()) : path;
                if ((type == '0' || type == 0) && accept.test(relative)) {
                    files.put(relative, new String(content, StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    private boolean matches(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(bytes);
            return ("sha512-" + Base64.getEncoder().encodeToString(digest)).equals(integrity);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is part of every JDK", e);
        }
    }

    /** A NUL- or space-terminated ASCII header field. */
    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII).trim();
    }
}

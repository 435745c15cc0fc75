package io.kube4j.api.openapi.upstream;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * A build step (run by Maven after compiling kube4j-api, see its pom): turns upstream's API documentation into the
 * compact resource {@code io.kube4j.api.openapi.UpstreamDescriptions} reads, so the OpenAPI documents carry the
 * descriptions {@code kubectl explain} prints. The source is the npm package {@code kubernetes-types}, whose
 * declaration files carry upstream's OpenAPI descriptions as doc comments, one file per group-version; it is the
 * published copy nearest to 1.32 this build can fetch (1.30.0; fields added since have no description). It is cached
 * outside the source tree ({@code bin/setup} fetches it too); without it (offline, registry unreachable) the build
 * goes on and says so once, and the documents are served without descriptions.
 *
 * <p>Arguments: the resource file to write, the cache directory, and {@code offline=true} when Maven runs offline
 * (then nothing is fetched).
 */
public final class DescriptionsBuild {

    static final NpmTarball SOURCE = new NpmTarball("kubernetes-types", "1.30.0",
            "sha512-Dew1okvhM/SQcIa2rcgujNndZwU8VnSapDgdxlYoB84ZlpAD43U6KLAFqYo17ykSFGHNPrg0qry0bP+GJd9v7Q==");

    private DescriptionsBuild() {
    }

    public static void main(String[] args) throws IOException {
        Path output = Path.of(args[0]);
        Path cache = Path.of(args[1]);
        boolean offline = args.length > 2 && args[2].equals("offline=true");
        String missing = ensureCached(cache, offline);
        if (missing != null) {
            if (!Files.exists(output)) {
                System.out.println("[kube4j-api] OpenAPI documents without upstream's descriptions (kubectl explain"
                        + " will list fields only): " + missing + "; bin/setup or an online build fetches "
                        + SOURCE.url() + " into " + cache);
            }
            return; // a resource built earlier from the same pinned tarball stays valid
        }
        Map<String, Map<String, String>> descriptions = descriptions(SOURCE.files(cache, p -> p.endsWith(".d.ts")));
        write(output, descriptions);
    }

    /** Null when the tarball is in the cache; otherwise why it is not. */
    private static String ensureCached(Path cache, boolean offline) {
        try {
            if (SOURCE.cachedIn(cache)) {
                return null;
            }
            if (offline) {
                return SOURCE.fileName() + " is not cached and Maven runs offline";
            }
            SOURCE.fetchInto(cache);
            return null;
        } catch (IOException e) {
            return "cannot fetch " + SOURCE.fileName() + " (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while fetching " + SOURCE.fileName();
        }
    }

    /** Upstream definition name to descriptions, from the package's declaration files by path. */
    static Map<String, Map<String, String>> descriptions(Map<String, String> declarationFiles) {
        Map<String, Map<String, String>> result = new TreeMap<>();
        declarationFiles.forEach((path, source) -> {
            String prefix = definitionPrefix(path.substring(0, path.length() - ".d.ts".length()));
            if (prefix != null) {
                TypeScriptDocs.parse(source).forEach((type, fields) -> {
                    if (!fields.isEmpty()) {
                        result.put(prefix + type, new TreeMap<>(fields));
                    }
                });
            }
        });
        return result;
    }

    /**
     * The upstream definition name prefix of the types a declaration file holds ({@code core/v1} holds
     * {@code io.k8s.api.core.v1.*}); null for a file that holds no definitions ({@code index}).
     */
    static String definitionPrefix(String file) {
        return switch (file) {
            case "meta/v1" -> "io.k8s.apimachinery.pkg.apis.meta.v1.";
            case "api/resource" -> "io.k8s.apimachinery.pkg.api.resource.";
            case "runtime" -> "io.k8s.apimachinery.pkg.runtime.";
            case "version" -> "io.k8s.apimachinery.pkg.version.";
            case "util/intstr" -> "io.k8s.apimachinery.pkg.util.intstr.";
            default -> {
                int slash = file.indexOf('/');
                if (slash < 0 || file.indexOf('/', slash + 1) >= 0) {
                    yield null;
                }
                String group = file.substring(0, slash);
                String version = file.substring(slash + 1);
                yield group.equals("apiextensions")
                        ? "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions." + version + "."
                        : "io.k8s.api." + group + "." + version + ".";
            }
        };
    }

    private static void write(Path output, Map<String, Map<String, String>> descriptions) throws IOException {
        Files.createDirectories(output.getParent());
        Path partial = output.resolveSibling(output.getFileName() + ".part");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(partial))) {
            JsonMapper.builder().build().writeValue(out, descriptions);
        }
        Files.move(partial, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}

package io.kube4j.runtime.image;

import io.kube4j.runtime.util.CommandResult;
import io.kube4j.runtime.util.Commands;
import io.kube4j.runtime.util.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Unpacks a layer blob (tar, gzip or zstd: GNU tar detects which) into its own directory and turns
 * OCI whiteouts into overlayfs ones, so layers can be stacked as overlay lower directories unchanged.
 */
final class LayerUnpacker {
    private static final Logger LOG = LoggerFactory.getLogger(LayerUnpacker.class);
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private LayerUnpacker() {
    }

    /** Unpacks into {@code target} atomically: a half-unpacked layer is never visible there. */
    static void unpack(Path blob, Path target) {
        Path staging = target.resolveSibling(".unpack-" + target.getFileName() + "-" + System.nanoTime());
        try {
            Files.createDirectories(staging);
            Commands.check(List.of("tar", "--numeric-owner", "-xf", blob.toString(), "-C", staging.toString()));
            convertWhiteouts(staging);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack layer " + blob.getFileName() + ": " + e.getMessage(), e);
        } finally {
            FileTrees.deleteRecursively(staging);
        }
    }

    private static void convertWhiteouts(Path root) throws IOException {
        List<Path> markers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.getFileName() != null && p.getFileName().toString().startsWith(WHITEOUT)).forEach(markers::add);
        }
        for (Path marker : markers) {
            String name = marker.getFileName().toString();
            Files.delete(marker);
            if (name.equals(OPAQUE)) {
                markOpaque(marker.getParent());
            } else {
                Path hidden = marker.resolveSibling(name.substring(WHITEOUT.length()));
                // overlayfs hides a lower file behind a 0:0 character device of the same name.
                Commands.check(List.of("mknod", hidden.toString(), "c", "0", "0"));
            }
        }
    }

    private static void markOpaque(Path dir) {
        // Java can only set user.* attributes; overlayfs reads trusted.overlay.opaque.
        CommandResult result = Commands.run(List.of("setfattr", "-n", "trusted.overlay.opaque", "-v", "y", dir.toString()));
        if (!result.succeeded()) {
            LOG.warn("cannot mark {} opaque (is the attr package installed?): {}", dir, result.stderrText());
        }
    }
}

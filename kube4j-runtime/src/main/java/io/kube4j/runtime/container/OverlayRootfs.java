package io.kube4j.runtime.container;

import io.kube4j.runtime.unix.Mounts;
import io.kube4j.runtime.util.Commands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A container's root filesystem: the image layers read-only below, a private upper directory on top. */
final class OverlayRootfs {
    private OverlayRootfs() {
    }

    static void mount(Path containerDir, List<Path> layersBottomFirst, Path target) {
        Path upper = containerDir.resolve("upper");
        Path work = containerDir.resolve("work");
        try {
            Files.createDirectories(upper);
            Files.createDirectories(work);
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> lower = new ArrayList<>();
        layersBottomFirst.forEach(p -> lower.add(p.toString()));
        // overlayfs lists the top-most lower directory first.
        Collections.reverse(lower);
        if (lower.isEmpty()) {
            throw new IllegalArgumentException("image has no layers");
        }
        String options = "lowerdir=" + String.join(":", lower) + ",upperdir=" + upper + ",workdir=" + work;
        try {
            Mounts.mountOverlay(options, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void unmount(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        try {
            Mounts.unmount(target);
        } catch (IOException e) {
            // Removal goes on, as it did when umount(8) failed: the caller must not be stuck on one busy mount.
            org.slf4j.LoggerFactory.getLogger(OverlayRootfs.class).warn("{}", e.getMessage());
        }
    }

    static boolean mounted(Path target) {
        return Commands.run(List.of("mountpoint", "-q", target.toString())).succeeded();
    }
}

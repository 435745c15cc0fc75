package io.kube4j.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The image archives {@code bin/build-busybox-image} makes, built once per Maven run instead of once per test class:
 * every class runs in a JVM of its own, so the archives are kept in a directory under {@code target/} and keyed by
 * what makes them (the script, the busybox binary and the environment given to the script), which the script turns
 * into byte-for-byte the same archive every time.
 */
final class BusyboxImages {
    private static final Path SCRIPT = Path.of("..", "bin", "build-busybox-image").toAbsolutePath().normalize();
    private static final Path CACHE = Path.of(System.getProperty("kube4j.e2e.imageCache", "target/e2e-images"))
            .toAbsolutePath();

    private BusyboxImages() {
    }

    /** busybox.tar (docker.io/library/busybox:latest) copied into {@code imagesDir}, the node's image directory. */
    static void copyInto(Path imagesDir) {
        copyInto(imagesDir, Map.of());
    }

    /** The archive the script makes with this environment (REF_NAME, IMAGE_CMD, ARCHIVE_NAME), copied into dir. */
    static Path copyInto(Path dir, Map<String, String> env) {
        Path archive = archive(env);
        try {
            Files.createDirectories(dir);
            // a copy, not a link: a node may import, rename or delete what is in its image directory
            return Files.copy(archive, dir.resolve(archive.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cached archive, built first if no earlier class of this run (or an earlier run) built the same one. */
    static Path archive(Map<String, String> env) {
        String name = env.getOrDefault("ARCHIVE_NAME", "busybox.tar");
        Path dir = CACHE.resolve(key(env));
        Path archive = dir.resolve(name);
        if (Files.isRegularFile(archive)) {
            return archive;
        }
        try {
            Files.createDirectories(CACHE);
            // the containerd pass may run beside another Maven run in the same tree: one builder at a time
            try (FileChannel lockFile = FileChannel.open(CACHE.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                if (!Files.isRegularFile(archive)) {
                    Phases.run("build image " + name, () -> build(env, dir));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return archive;
    }

    private static void build(Map<String, String> env, Path dir) {
        try {
            // built aside and renamed whole: an interrupted build never leaves a half archive under the key
            Path aside = Files.createTempDirectory(CACHE, "building");
            // its output to a file, not inherited: a forked surefire JVM's own stdout is surefire's channel
            Path log = aside.resolve("build.log");
            ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), aside.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("build-busybox-image " + env + " failed: " + Files.readString(log));
            }
            Files.move(aside, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A digest of the inputs: a changed script, busybox or extra binary makes a new archive, an unchanged one reuses it. */
    private static String key(Map<String, String> env) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(SCRIPT));
            sha.update(Files.readAllBytes(Path.of(System.getenv().getOrDefault("BUSYBOX", "/bin/busybox"))));
            if (env.containsKey("EXTRA_BINARY")) {
                sha.update(Files.readAllBytes(Path.of(env.get("EXTRA_BINARY"))));
            }
            sha.update(new TreeMap<>(env).toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

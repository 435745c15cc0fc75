package io.kube4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The node's images directory (air-gapped images, {@code kube4j images import}) when the runtime is containerd: CRI
 * has no import call, so the archives go in through containerd's own client, {@code ctr}, into the {@code k8s.io}
 * namespace its CRI plugin serves - what k3s does with its agent/images directory at start.
 */
final class ContainerdImageImport {
    private static final long TIMEOUT_SECONDS = 300;

    private ContainerdImageImport() {
    }

    /**
     * Imports every {@code *.tar} in {@code imagesDir}; one line per archive. A failed archive is reported and
     * skipped: pods using other images must still run.
     */
    static void importAll(Path socket, Path imagesDir) throws IOException, InterruptedException {
        for (Path archive : archives(imagesDir)) {
            Result result = importArchive(socket, archive);
            System.err.println("kube4j: " + result.message());
            if (result.ctrMissing()) {
                return; // the same for every other archive
            }
        }
    }

    /** What one {@code ctr images import} did: a line to print, whether it worked, whether ctr is not installed. */
    record Result(boolean ok, boolean ctrMissing, String message) {
    }

    /** Imports one archive into containerd's {@code k8s.io} namespace through {@code ctr}, now. */
    static Result importArchive(Path socket, Path archive) throws InterruptedException {
        List<String> cmd = List.of("ctr", "--address", socket.toString(), "--namespace", "k8s.io",
                "images", "import", archive.toString());
        Process ctr;
        try {
            ctr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(false, true, "cannot import " + archive + " into containerd: ctr not found "
                    + "(install containerd's client)");
        }
        String output;
        try {
            output = new String(ctr.getInputStream().readAllBytes()).strip();
        } catch (IOException e) {
            output = e.toString();
        }
        if (!ctr.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            ctr.destroyForcibly();
            return new Result(false, false, "importing " + archive + " into containerd timed out");
        }
        if (ctr.exitValue() != 0) {
            return new Result(false, false, "importing " + archive + " into containerd failed: "
                    + output.replace('\n', ' '));
        }
        return new Result(true, false, "imported " + archive + " into containerd (namespace k8s.io)");
    }

    /**
     * The node notes which containerd it drives (its data directory's run/containerd.endpoint), so that
     * {@code kube4j images import} on the same data directory can import into it at once: containerd never scans
     * the images directory, only the node's start does.
     */
    static void remember(Path dataDir, Path socket) throws IOException {
        Path record = record(dataDir);
        Files.createDirectories(record.getParent());
        Files.writeString(record, "unix://" + socket + "\n");
    }

    /** The node starts its own runtime, which scans the images directory itself: nothing to remember. */
    static void forget(Path dataDir) throws IOException {
        Files.deleteIfExists(record(dataDir));
    }

    /** The socket of the containerd the node on this data directory last started with, if it runs on containerd. */
    static Optional<Path> remembered(Path dataDir) throws IOException {
        Path record = record(dataDir);
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        return Optional.of(RuntimeEndpoint.socketOf(Files.readString(record).strip()));
    }

    private static Path record(Path dataDir) {
        return dataDir.resolve("run").resolve("containerd.endpoint");
    }

    /** The archives the kube4j runtime would import from this directory (hidden partial copies excluded). */
    static List<Path> archives(Path imagesDir) throws IOException {
        if (!Files.isDirectory(imagesDir)) {
            return List.of();
        }
        List<Path> archives = new ArrayList<>();
        try (Stream<Path> files = Files.list(imagesDir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".tar") && !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile).sorted().forEach(archives::add);
        }
        return archives;
    }
}

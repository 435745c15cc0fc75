package io.kube4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        List<Path> archives = archives(imagesDir);
        if (archives.isEmpty()) {
            return;
        }
        for (Path archive : archives) {
            List<String> cmd = List.of("ctr", "--address", socket.toString(), "--namespace", "k8s.io",
                    "images", "import", archive.toString());
            Process ctr;
            try {
                ctr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                System.err.println("kube4j: cannot import " + archive + " into containerd: ctr not found "
                        + "(install containerd's client)");
                return;
            }
            String output = new String(ctr.getInputStream().readAllBytes()).strip();
            if (!ctr.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                ctr.destroyForcibly();
                System.err.println("kube4j: importing " + archive + " into containerd timed out");
            } else if (ctr.exitValue() != 0) {
                System.err.println("kube4j: importing " + archive + " into containerd failed: "
                        + output.replace('\n', ' '));
            } else {
                System.err.println("kube4j: imported " + archive + " into containerd (namespace k8s.io)");
            }
        }
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

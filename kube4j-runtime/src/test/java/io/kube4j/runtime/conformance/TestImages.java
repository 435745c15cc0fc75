package io.kube4j.runtime.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The offline busybox archive, built once per test JVM with bin/build-busybox-image. */
public final class TestImages {
    public static final String BUSYBOX = "busybox";
    private static Path archiveDir;

    private TestImages() {
    }

    /** A directory holding busybox.tar, for a runtime's import directory. */
    public static synchronized Path busyboxArchiveDir() throws IOException, InterruptedException {
        if (archiveDir == null) {
            Path dir = Files.createTempDirectory("kube4j-images");
            Path script = Path.of("..", "bin", "build-busybox-image").toAbsolutePath().normalize();
            Process process = new ProcessBuilder(script.toString(), dir.toString()).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(script + " failed");
            }
            archiveDir = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
                } catch (IOException | InterruptedException ignored) {
                    // a temporary directory
                }
            }));
        }
        return archiveDir;
    }
}

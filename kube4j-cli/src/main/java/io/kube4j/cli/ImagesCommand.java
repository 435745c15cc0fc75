package io.kube4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code kube4j images}: images for nodes without a registry. */
@Command(name = "images", description = "Manage the node's images without a registry.", mixinStandardHelpOptions = true,
        subcommands = ImagesCommand.Import.class)
final class ImagesCommand implements Runnable {

    @Override
    public void run() {
        throw new IllegalArgumentException("missing subcommand: kube4j images import FILE.tar");
    }

    /**
     * {@code kube4j images import FILE.tar}: puts an OCI archive into the node's image directory, which kube4j's
     * runtime imports at start and rescans every few seconds - as k3s's agent/images directory (air-gapped nodes).
     * A node on containerd imports that directory only when it starts (containerd never looks at it), so for such a
     * node - the data directory records its socket - the archive is also imported into containerd at once.
     */
    @Command(name = "import", description = "Import an OCI image archive (docker save / skopeo oci-archive) on this node.",
            mixinStandardHelpOptions = true)
    static final class Import implements Callable<Integer> {

        @Parameters(paramLabel = "FILE.tar", description = "an OCI image archive")
        Path archive;

        @Option(names = "--data-dir", defaultValue = "/var/lib/kube4j", paramLabel = "DIR",
                description = "the node's data directory; the archive goes to DIR/images (default: ${DEFAULT-VALUE})")
        Path dataDir;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(archive)) {
                throw new IllegalArgumentException(archive + " does not exist");
            }
            if (!archive.getFileName().toString().endsWith(".tar")) {
                throw new IllegalArgumentException(archive + " is not a .tar archive");
            }
            if (!listsIndexJson(archive)) {
                throw new IllegalArgumentException(archive + " is not an OCI image archive (no index.json); "
                        + "make one with `skopeo copy docker://IMAGE oci-archive:FILE.tar`");
            }
            Path images = dataDir.resolve("images");
            Files.createDirectories(images);
            Path target = images.resolve(archive.getFileName());
            // copied under another name first: the runtime's scan must never see half an archive
            Path partial = images.resolve("." + archive.getFileName() + ".partial");
            Files.copy(archive, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Optional<Path> containerd = ContainerdImageImport.remembered(dataDir);
            if (containerd.isEmpty()) {
                System.out.println("copied to " + target + "; the runtime imports it at once if running "
                        + "(within 5 s), else when it starts");
                return 0;
            }
            return importIntoContainerd(containerd.get(), target);
        }

        private static int importIntoContainerd(Path socket, Path target) throws InterruptedException {
            if (!Files.exists(socket)) {
                System.out.println("copied to " + target + "; the node's runtime, containerd (unix://" + socket
                        + "), is not running: the node imports it when it starts");
                return 0;
            }
            ContainerdImageImport.Result result = ContainerdImageImport.importArchive(socket, target);
            if (!result.ok()) {
                throw new IllegalStateException("copied to " + target + " (imported when the node starts again), but "
                        + result.message());
            }
            System.out.println("imported into containerd (unix://" + socket + ", namespace k8s.io); copied to "
                    + target + ", imported again whenever the node starts");
            return 0;
        }

        private static boolean listsIndexJson(Path archive) throws IOException, InterruptedException {
            Process tar = new ProcessBuilder(List.of("tar", "-tf", archive.toString())).redirectErrorStream(true).start();
            String listing = new String(tar.getInputStream().readAllBytes());
            if (!tar.waitFor(60, TimeUnit.SECONDS)) {
                tar.destroyForcibly();
                return false;
            }
            return tar.exitValue() == 0 && listing.lines().anyMatch(l -> l.equals("index.json") || l.equals("./index.json"));
        }
    }
}

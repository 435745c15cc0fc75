package io.kube4j.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code kube4j images import} says and does for the runtime the node on that data directory runs: kube4j's own
 * rescans the images directory; containerd only has it imported at the node's start, so the command imports into it
 * at once (the real import into a running containerd is checked by the e2e suite's containerd pass, KubeletE2ETest).
 */
class ImagesImportTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;
    private Path archive;
    private Path data;

    @BeforeEach
    void setUp() throws Exception {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        Path oci = dir.resolve("oci");
        Files.createDirectories(oci.resolve("blobs"));
        Files.writeString(oci.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
        Files.writeString(oci.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        archive = dir.resolve("app.tar");
        Process tar = new ProcessBuilder("tar", "-cf", archive.toString(), "-C", oci.toString(), "index.json",
                "oci-layout", "blobs").start();
        assertThat(tar.waitFor()).isZero();
        data = dir.resolve("data");
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void onKube4jsRuntimeTheRescanPicksTheArchiveUp() {
        assertThat(Kube4j.run("images", "import", archive.toString(), "--data-dir", data.toString())).isZero();
        assertThat(data.resolve("images/app.tar")).hasSameBinaryContentAs(archive);
        assertThat(stdout()).isEqualTo("copied to " + data.resolve("images/app.tar")
                + "; the runtime imports it at once if running (within 5 s), else when it starts");
    }

    @Test
    void onAStoppedContainerdTheNodesStartImportsIt() throws Exception {
        Path socket = dir.resolve("containerd.sock");
        ContainerdImageImport.remember(data, socket);
        assertThat(Kube4j.run("images", "import", archive.toString(), "--data-dir", data.toString())).isZero();
        assertThat(data.resolve("images/app.tar")).hasSameBinaryContentAs(archive);
        assertThat(stdout()).isEqualTo("copied to " + data.resolve("images/app.tar") + "; the node's runtime, "
                + "containerd (unix://" + socket + "), is not running: the node imports it when it starts");
    }

    @Test
    void aContainerdThatDoesNotAnswerIsOneLineAndTheCopyStays() throws Exception {
        Path socket = Files.writeString(dir.resolve("containerd.sock"), ""); // there, but nothing listens
        ContainerdImageImport.remember(data, socket);
        assertThat(Kube4j.run("images", "import", archive.toString(), "--data-dir", data.toString())).isEqualTo(1);
        assertThat(stderr()).doesNotContain("\n").doesNotContain("Exception")
                .startsWith("kube4j images import: copied to " + data.resolve("images/app.tar")
                        + " (imported when the node starts again), but ")
                .containsAnyOf("into containerd failed: ", "ctr not found");
        assertThat(data.resolve("images/app.tar")).hasSameBinaryContentAs(archive);
    }

    @Test
    void aNodeBackOnKube4jsRuntimeForgetsContainerd() throws Exception {
        ContainerdImageImport.remember(data, dir.resolve("containerd.sock"));
        assertThat(ContainerdImageImport.remembered(data)).contains(dir.resolve("containerd.sock"));
        ContainerdImageImport.forget(data);
        assertThat(ContainerdImageImport.remembered(data)).isEmpty();
    }
}

package io.kube4j.store.embedded;

import io.kube4j.store.Store;
import io.kube4j.store.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void createsTheDirectoryWithAMarker() {
        Path path = dir.resolve("a/b/store");
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.currentRevision()).isEqualTo(1);
        }
        assertThat(path.resolve(DataDirectory.MARKER)).exists();
    }

    @Test
    void refusesADirectoryThatIsNotOurs() throws Exception {
        Path path = dir.resolve("other");
        Files.createDirectories(path);
        Files.writeString(path.resolve("important.txt"), "not a store");
        assertThatThrownBy(() -> EmbeddedStore.open(path)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(path + " is not a kube4j store directory");
        assertThat(path.resolve(DataDirectory.MARKER)).doesNotExist();
    }

    @Test
    void refusesAnUnknownFormat() throws Exception {
        Path path = dir.resolve("future");
        Files.createDirectories(path);
        Files.writeString(path.resolve(DataDirectory.MARKER), "kube4j-store format 99\n");
        assertThatThrownBy(() -> EmbeddedStore.open(path)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown format");
    }

    @Test
    void onlyOneOwnerAtATime() {
        Path path = dir.resolve("locked");
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThatThrownBy(() -> EmbeddedStore.open(path)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("data directory " + path + " is in use by another kube4j (lock held");
            assertThat(store.currentRevision()).isEqualTo(1);
        }
        try (EmbeddedStore again = EmbeddedStore.open(path)) {
            assertThat(again.currentRevision()).isEqualTo(1);
        }
    }

    @Test
    void anotherProcessHoldingTheLockIsRefused() throws Exception {
        Path path = dir.resolve("proc");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(), path.toString(), "lock", "1")
                .redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(child.getInputStream()));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("READY"));
            assertThat(line).as("the child opened the store").isNotNull();
            assertThatThrownBy(() -> EmbeddedStore.open(path)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another kube4j (lock held");
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        try (EmbeddedStore store = EmbeddedStore.open(path)) {
            assertThat(store.get("/crash/hot")).isPresent();
        }
    }

    @Test
    void storesOpensTheEmbeddedStore() {
        try (Store store = Stores.open("embedded", dir)) {
            assertThat(store).isInstanceOf(EmbeddedStore.class);
            assertThat(store.create("/x", new byte[]{1}, 0).modRevision()).isEqualTo(2);
        }
    }
}

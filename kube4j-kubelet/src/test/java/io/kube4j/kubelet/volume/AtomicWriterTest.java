package io.kube4j.kubelet.volume;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicWriterTest {
    @TempDir
    Path dir;

    private static AtomicWriter.FileContent text(String s, int mode) {
        return new AtomicWriter.FileContent(s.getBytes(StandardCharsets.UTF_8), mode);
    }

    @Test
    void writesSwapsAndRemovesFilesThroughDataLink() throws Exception {
        assertThat(AtomicWriter.write(dir, Map.of("a", text("1", 0644), "sub/b", text("2", 0600)))).isTrue();
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("1");
        assertThat(Files.readString(dir.resolve("sub/b"))).isEqualTo("2");
        assertThat(Files.isSymbolicLink(dir.resolve("a"))).isTrue();
        assertThat(Files.getPosixFilePermissions(dir.resolve("sub/b").toRealPath())).isEqualTo(AtomicWriter.permissions(0600));

        assertThat(AtomicWriter.write(dir, Map.of("a", text("1", 0644), "sub/b", text("2", 0600)))).isFalse();

        assertThat(AtomicWriter.write(dir, Map.of("a", text("changed", 0644)))).isTrue();
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("changed");
        assertThat(Files.exists(dir.resolve("sub"))).isFalse();
        try (var entries = Files.list(dir)) {
            assertThat(entries.filter(p -> p.getFileName().toString().startsWith("..data_")).count()).isEqualTo(1);
        }
    }
}

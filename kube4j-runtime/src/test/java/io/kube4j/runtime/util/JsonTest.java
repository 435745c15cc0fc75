package io.kube4j.runtime.util;

import io.kube4j.runtime.network.PortMapping;
import io.kube4j.runtime.sandbox.SandboxRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runtime's state files and JSON helpers on Jackson 3 keep what they did on Jackson 2. */
class JsonTest {
    @Test
    void aRecordRoundTripsThroughItsStateFile(@TempDir Path dir) {
        SandboxRecord record = new SandboxRecord("abc", 1_700_000_000_000L, true, "10.42.0.7", false, true,
                "kubepods/pod1", true, List.of(new PortMapping(8080, 80, "TCP", "")));
        Path file = dir.resolve("sandbox.json");
        Json.write(file, record);
        assertThat(Json.read(file, SandboxRecord.class)).isEqualTo(record);
    }

    @Test
    void aStateFileOfAnotherVersionStillReads(@TempDir Path dir) throws Exception {
        // written by a version without ownsCgroup and portMappings, or by a newer one with a field this one lacks
        Path file = dir.resolve("sandbox.json");
        Files.writeString(file, "{\"id\":\"abc\",\"createdAt\":5,\"ready\":true,\"ip\":\"10.42.0.7\",\"hostNetwork\":false,"
                + "\"networkAttached\":true,\"cgroupParent\":\"kubepods/pod1\",\"future\":{\"x\":1}}");
        SandboxRecord record = Json.read(file, SandboxRecord.class);
        assertThat(record.id()).isEqualTo("abc");
        assertThat(record.ready()).isTrue();
        assertThat(record.ownsCgroup()).isFalse();
        assertThat(record.portMappings()).isNull();
    }

    @Test
    void badInputIsReportedAsBefore(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Json.parse("{\"a\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid JSON");
        assertThatThrownBy(() -> Json.read(dir.resolve("missing.json")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing.json");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"id\":");
        assertThatThrownBy(() -> Json.read(broken, SandboxRecord.class))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("broken.json");
    }

    @Test
    void textOfAFieldIsEmptyWhenAbsentOrNull() {
        var node = Json.parse("{\"a\":\"x\",\"n\":null}".getBytes(StandardCharsets.UTF_8));
        assertThat(Json.text(node, "a")).isEqualTo("x");
        assertThat(Json.text(node, "n")).isEmpty();
        assertThat(Json.text(node, "missing")).isEmpty();
        assertThat(Json.text(null, "a")).isEmpty();
    }
}

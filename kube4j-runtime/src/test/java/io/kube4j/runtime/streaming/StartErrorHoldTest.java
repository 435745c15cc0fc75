package io.kube4j.runtime.streaming;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StartErrorHoldTest {
    private final ByteArrayOutputStream client = new ByteArrayOutputStream();
    private final StartErrorHold hold = new StartErrorHold((data, length) -> client.write(data, 0, length));

    private void write(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        hold.write(bytes, bytes.length);
    }

    private String sent() {
        return client.toString(StandardCharsets.UTF_8);
    }

    @Test
    void otherOutputPassesAtOnce() {
        write("ex");
        assertThat(sent()).as("might still be runc's line").isEmpty();
        write("it code was 3\n");
        assertThat(sent()).isEqualTo("exit code was 3\n");
        write("more");
        assertThat(sent()).isEqualTo("exit code was 3\nmore");
    }

    @Test
    void runcsOwnLineIsHeldAndDiscardedOnAStartFailure() {
        write("exec failed: unable to start ");
        write("container process: exec: \"nosuch\": executable file not found in $PATH\n");
        assertThat(sent()).isEmpty();

        hold.discard();
        write("OCI runtime exec failed: ...\n");
        assertThat(sent()).isEqualTo("OCI runtime exec failed: ...\n");
    }

    @Test
    void aCommandThatPrintsTheSameWordsIsOnlyDelayed() {
        write("exec failed: says the command\n");
        assertThat(sent()).isEmpty();
        hold.release();
        assertThat(sent()).isEqualTo("exec failed: says the command\n");
        write("next");
        assertThat(sent()).endsWith("next");
    }

    @Test
    void longOutputIsNotHeldForever() {
        write("exec failed: " + "x".repeat(9000));
        assertThat(sent()).hasSize(9013);
    }
}

package io.kube4j.runtime.streaming;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RuncExecFailureTest {
    @TempDir
    Path tmp;

    private Path log(String... lines) throws Exception {
        return Files.write(tmp.resolve("runc.log"), String.join("\n", lines).getBytes());
    }

    @Test
    void aMissingExecutableIsTheRuntimesMessageAndExitCode127() throws Exception {
        Path log = log("{\"level\":\"error\",\"msg\":\"exec failed: unable to start container process: exec: \\\"nosuch\\\": "
                + "executable file not found in $PATH\",\"time\":\"2026-11-26T18:32:29Z\"}");

        RuncExecFailure failure = RuncExecFailure.read(log, 255).orElseThrow();

        assertThat(failure.text()).isEqualTo("OCI runtime exec failed: exec failed: unable to start container process: "
                + "exec: \"nosuch\": executable file not found in $PATH: unknown");
        assertThat(failure.exitCode()).isEqualTo(127);
    }

    @Test
    void aPathThatIsNotThereIs127AndOneThatCannotRunIs126() throws Exception {
        Path missing = log("{\"level\":\"error\",\"msg\":\"exec failed: unable to start container process: exec: "
                + "\\\"/nonexist/x\\\": stat /nonexist/x: no such file or directory\"}");
        assertThat(RuncExecFailure.read(missing, 255).orElseThrow().exitCode()).isEqualTo(127);

        Path denied = log("{\"level\":\"error\",\"msg\":\"exec failed: unable to start container process: exec: "
                + "\\\"/etc/passwd\\\": permission denied\"}");
        assertThat(RuncExecFailure.read(denied, 255).orElseThrow().exitCode()).isEqualTo(126);
    }

    @Test
    void aCommandThatExits255ItselfIsNoStartFailure() throws Exception {
        Path empty = log();
        assertThat(RuncExecFailure.read(empty, 255)).isEmpty();
        Path warning = log("{\"level\":\"warning\",\"msg\":\"exec failed: not really\"}", "not json");
        assertThat(RuncExecFailure.read(warning, 255)).isEmpty();
        // runc's error with another exit code is not runc's exec failure either
        Path error = log("{\"level\":\"error\",\"msg\":\"exec failed: container does not exist\"}");
        assertThat(RuncExecFailure.read(error, 1)).isEmpty();
        assertThat(RuncExecFailure.read(tmp.resolve("absent"), 255)).isEmpty();
    }
}

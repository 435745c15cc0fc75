package io.kube4j.runtime.streaming;

import io.kube4j.runtime.util.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * runc exec failing to start the command itself (no such executable, not an executable), told as upstream's runtimes
 * tell it: the OCI runtime's words on the error stream, {@code OCI runtime exec failed: exec failed: unable to start
 * container process: exec: "nosuch": executable file not found in $PATH: unknown}, and the shell's exit code, 127 for
 * a command that is not there and 126 for one that cannot run, so scripts can tell it from the command's own failure.
 * runc exits 255 then and writes the error to its {@code --log} (JSON lines); a command of the user exiting 255 leaves
 * no "exec failed" error there.
 */
record RuncExecFailure(String message) {
    /** What runc 1.x prefixes each error of {@code runc exec} with (its fatal handler). */
    static final String PREFIX = "exec failed: ";
    private static final int RUNC_FAILED = 255;

    /** The start failure runc logged, if the exec ended with runc's own failure. */
    static Optional<RuncExecFailure> read(Path runcLog, int exitCode) {
        if (exitCode != RUNC_FAILED) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(runcLog);
        } catch (IOException e) {
            return Optional.empty();
        }
        for (String line : lines) {
            try {
                JsonNode entry = Json.MAPPER.readTree(line);
                String msg = entry.path("msg").asString("");
                if ("error".equals(entry.path("level").asString("")) && msg.startsWith(PREFIX)) {
                    return Optional.of(new RuncExecFailure(msg));
                }
            } catch (JacksonException e) {
                // not a JSON line: runc writes only JSON with --log-format json, and this one is not its error
            }
        }
        return Optional.empty();
    }

    /** 127 when the executable was not found, 126 when it was found but could not be run, as a shell answers. */
    int exitCode() {
        return message.contains("executable file not found") || message.contains("no such file or directory")
                ? 127 : 126;
    }

    /** The line for the client's error output. */
    String text() {
        return "OCI runtime exec failed: " + message + ": unknown";
    }
}

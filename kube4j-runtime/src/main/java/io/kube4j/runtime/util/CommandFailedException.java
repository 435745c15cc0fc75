package io.kube4j.runtime.util;

import java.util.List;

/** An external program (runc, mount, a CNI plugin...) failed; the message carries its stderr. */
public class CommandFailedException extends RuntimeException {
    private final CommandResult result;

    public CommandFailedException(List<String> command, CommandResult result) {
        super(describe(command, result));
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }

    private static String describe(List<String> command, CommandResult result) {
        String what = String.join(" ", command.subList(0, Math.min(command.size(), 3)));
        String why = result.stderrText().isEmpty() ? result.stdoutText().trim() : result.stderrText();
        if (result.timedOut()) {
            return what + " timed out";
        }
        return what + " failed (exit " + result.exitCode() + "): " + why;
    }
}

package io.kube4j.cli;

import picocli.CommandLine;

/**
 * Turns any failure of a subcommand into one line that says what went wrong, and exit code 1. A stack
 * trace is printed only with KUBE4J_DEBUG=1, for us, not for users.
 */
final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        cli.getErr().println(cli.getCommandSpec().qualifiedName() + ": " + message);
        if ("1".equals(System.getenv("KUBE4J_DEBUG"))) {
            e.printStackTrace(cli.getErr());
        }
        return 1;
    }
}

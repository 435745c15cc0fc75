package io.kube4j.cli;

import io.kube4j.cli.store.StoreCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one kube4j command. Every component of the seed is a subcommand, so one jar runs any node role.
 */
@Command(name = "kube4j", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A Kubernetes-compatible container orchestrator in one jar.",
        subcommands = {ServerCommand.class, AgentCommand.class, ApiServerCommand.class, TokenCommand.class, SchedulerCommand.class, RuntimeCommand.class, ImagesCommand.class, KillallCommand.class, ControllerManagerCommand.class, StoreCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Kube4j implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; errors are one clear line on stderr, never a stack trace. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Kube4j());
        cli.setExecutionExceptionHandler(new OneLineErrors());
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}

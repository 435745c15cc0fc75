package io.kube4j.cli;

import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the kube4j version.")
final class VersionCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("kube4j " + VersionProvider.version() + " (Java " + Runtime.version() + ")");
    }
}

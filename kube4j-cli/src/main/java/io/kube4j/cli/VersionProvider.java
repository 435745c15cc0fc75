package io.kube4j.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    static String version() {
        String v = Kube4j.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    @Override
    public String[] getVersion() {
        return new String[]{"kube4j " + version()};
    }
}

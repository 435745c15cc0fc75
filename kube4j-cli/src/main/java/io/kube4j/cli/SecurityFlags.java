package io.kube4j.cli;

import io.kube4j.apiserver.SecurityOptions;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The API server's security flags, shared by {@code kube4j server} and {@code kube4j apiserver}. */
final class SecurityFlags {

    @Option(names = "--tls-san", split = ",", paramLabel = "NAME",
            description = "extra DNS name or IP address for the API serving certificate (repeatable)")
    List<String> tlsSans = new ArrayList<>();

    @Option(names = "--token-auth-file", paramLabel = "FILE",
            description = "static bearer tokens, CSV lines token,user,uid[,\"group1,group2\"]")
    Path tokenAuthFile;

    @Option(names = "--insecure-port", paramLabel = "PORT", defaultValue = "0",
            description = "also serve plain HTTP with NO authentication on 127.0.0.1:PORT (default: off)")
    int insecurePort;

    @Option(names = "--audit-log-path", paramLabel = "FILE",
            description = "write an audit event (audit.k8s.io/v1, Metadata level) per request to FILE, one JSON a line")
    Path auditLogPath;

    SecurityOptions options(Path dataDir, String bindAddress) {
        if (insecurePort < 0 || insecurePort > 65535) {
            throw new IllegalArgumentException("--insecure-port " + insecurePort + " is not a TCP port (1-65535)");
        }
        if (tokenAuthFile != null && !Files.isRegularFile(tokenAuthFile)) {
            throw new IllegalArgumentException("--token-auth-file " + tokenAuthFile + " does not exist");
        }
        List<String> nodeAddresses = new ArrayList<>();
        if (!bindAddress.equals("0.0.0.0") && !bindAddress.equals("::") && !bindAddress.isBlank()) {
            nodeAddresses.add(bindAddress);
        }
        List<String> sans = new ArrayList<>();
        for (String san : tlsSans) {
            if (!san.isBlank()) {
                sans.add(san.trim());
            }
        }
        return SecurityOptions.defaults(dataDir).withTlsSans(sans).withNodeAddresses(nodeAddresses)
                .withTokenAuthFile(tokenAuthFile).withInsecurePort(insecurePort).withAuditLogPath(auditLogPath);
    }
}

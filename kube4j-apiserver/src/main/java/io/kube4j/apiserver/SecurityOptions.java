package io.kube4j.apiserver;

import java.nio.file.Path;
import java.util.List;

/**
 * Secure serving: TLS with the cluster PKI kept in {@code tlsDir} (created on first start, reused and renewed on
 * restart), authentication, RBAC + Node authorization and admission on every request. {@code tlsSans} are extra
 * serving-certificate names ({@code --tls-san}), {@code nodeAddresses} the node's own addresses for the serving
 * certificate, {@code tokenAuthFile} an optional static token CSV ({@code --token-auth-file}), {@code insecurePort}
 * an optional plain-HTTP port on 127.0.0.1 with no authentication (0: off), {@code auditLogPath} an optional audit
 * log file (one audit.k8s.io/v1 Event JSON per line).
 */
public record SecurityOptions(Path tlsDir, List<String> tlsSans, List<String> nodeAddresses, Path tokenAuthFile,
                              int insecurePort, Path auditLogPath) {

    public SecurityOptions {
        tlsSans = tlsSans == null ? List.of() : List.copyOf(tlsSans);
        nodeAddresses = nodeAddresses == null ? List.of() : List.copyOf(nodeAddresses);
    }

    /** TLS and security with the PKI in {@code dataDir/tls} and nothing else configured. */
    public static SecurityOptions defaults(Path dataDir) {
        return new SecurityOptions(dataDir.resolve("tls"), List.of(), List.of(), null, 0, null);
    }

    public SecurityOptions withTlsSans(List<String> sans) {
        return new SecurityOptions(tlsDir, sans, nodeAddresses, tokenAuthFile, insecurePort, auditLogPath);
    }

    public SecurityOptions withNodeAddresses(List<String> addresses) {
        return new SecurityOptions(tlsDir, tlsSans, addresses, tokenAuthFile, insecurePort, auditLogPath);
    }

    public SecurityOptions withTokenAuthFile(Path file) {
        return new SecurityOptions(tlsDir, tlsSans, nodeAddresses, file, insecurePort, auditLogPath);
    }

    public SecurityOptions withInsecurePort(int port) {
        return new SecurityOptions(tlsDir, tlsSans, nodeAddresses, tokenAuthFile, port, auditLogPath);
    }

    public SecurityOptions withAuditLogPath(Path path) {
        return new SecurityOptions(tlsDir, tlsSans, nodeAddresses, tokenAuthFile, insecurePort, path);
    }
}

package io.kube4j.kubelet.server;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;

/**
 * Serves whatever certificate is current at each handshake, so that a rotated serving certificate is used from the
 * next connection on without restarting the server (upstream's kubelet reads it through tls.Config.GetCertificate).
 * Before the first one is issued there is none and handshakes fail, as upstream's do.
 */
final class CurrentCertificateKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "serving";

    private final Supplier<ServingTls> current;

    CurrentCertificateKeyManager(Supplier<ServingTls> current) {
        this.current = current;
    }

    private String aliasFor(String[] keyTypes) {
        ServingTls tls = current.get();
        if (tls == null) {
            return null;
        }
        String algorithm = tls.key().getAlgorithm();
        for (String type : keyTypes) {
            if (matches(type, algorithm)) {
                return ALIAS;
            }
        }
        return null;
    }

    /** The JDK asks for "EC", "RSA", "RSASSA-PSS" or a TLS 1.2 "EC_EC"-style pair; the key's algorithm decides. */
    private static boolean matches(String keyType, String algorithm) {
        String type = keyType.contains("_") ? keyType.substring(0, keyType.indexOf('_')) : keyType;
        return type.equalsIgnoreCase(algorithm) || (type.equalsIgnoreCase("RSASSA-PSS") && algorithm.equals("RSA"))
                || (type.equalsIgnoreCase("ECDHE") && algorithm.equals("RSA"));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(new String[]{keyType});
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(new String[]{keyType});
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(new String[]{keyType});
        return alias == null ? null : new String[]{alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ServingTls tls = current.get();
        return tls == null || !ALIAS.equals(alias) ? null : tls.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ServingTls tls = current.get();
        return tls == null || !ALIAS.equals(alias) ? null : tls.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}

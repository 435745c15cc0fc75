package io.kube4j.kubelet.server.auth;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Client certificates signed by the cluster CA: CN is the user, each O a group, as the API server reads them. The
 * TLS layer accepts any certificate so that a foreign one is answered 401 here, as upstream's kubelet does.
 */
public final class ClientCertificateAuthenticator {

    private final X509Certificate clientCa;

    public ClientCertificateAuthenticator(X509Certificate clientCa) {
        this.clientCa = clientCa;
    }

    public Optional<User> authenticate(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate leaf = chain.get(0);
        try {
            leaf.checkValidity();
            leaf.verify(clientCa.getPublicKey());
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
        if (!leaf.getIssuerX500Principal().equals(clientCa.getSubjectX500Principal()) || !allowsClientAuth(leaf)) {
            return Optional.empty();
        }
        String name = null;
        List<String> groups = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    name = String.valueOf(rdn.getValue());
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        groups.add("system:authenticated");
        return Optional.of(new User(name, "", groups, null));
    }

    private static boolean allowsClientAuth(X509Certificate leaf) {
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            return usages == null || usages.contains("1.3.6.1.5.5.7.3.2") || usages.contains("2.5.29.37.0");
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }
}

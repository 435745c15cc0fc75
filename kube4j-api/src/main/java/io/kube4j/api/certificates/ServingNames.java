package io.kube4j.api.certificates;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The names a kubelet's serving certificate carries, as upstream's kubelet derives them from its Node's
 * addresses: {@code Hostname}, {@code InternalDNS} and {@code ExternalDNS} as DNS names, {@code InternalIP} and
 * {@code ExternalIP} as IP addresses (in one canonical spelling, sorted, so two readings compare equal). The kubelet
 * asks for these, and the CSR approver accepts no other names (besides the node's own name).
 */
public record ServingNames(List<String> dnsNames, List<String> ips) {

    public static ServingNames of(Node node) {
        TreeSet<String> dns = new TreeSet<>();
        TreeSet<String> ips = new TreeSet<>();
        if (node != null && node.getStatus() != null && node.getStatus().getAddresses() != null) {
            for (NodeAddress a : node.getStatus().getAddresses()) {
                if (a.getAddress() == null || a.getAddress().isBlank()) {
                    continue;
                }
                switch (String.valueOf(a.getType())) {
                    case "Hostname", "InternalDNS", "ExternalDNS" -> dns.add(a.getAddress().toLowerCase(Locale.ROOT));
                    case "InternalIP", "ExternalIP" -> {
                        String ip = canonicalIp(a.getAddress());
                        if (ip != null) {
                            ips.add(ip);
                        }
                    }
                    default -> { }
                }
            }
        }
        return new ServingNames(List.copyOf(dns), List.copyOf(ips));
    }

    public boolean isEmpty() {
        return dnsNames.isEmpty() && ips.isEmpty();
    }

    /** Whether {@code certificate} names exactly these (a node whose addresses changed needs a new one). */
    public boolean matches(X509Certificate certificate) {
        TreeSet<String> dns = new TreeSet<>();
        TreeSet<String> ip = new TreeSet<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    int type = (Integer) n.get(0);
                    if (type == 2) {
                        dns.add(String.valueOf(n.get(1)).toLowerCase(Locale.ROOT));
                    } else if (type == 7) {
                        String canonical = canonicalIp(String.valueOf(n.get(1)));
                        if (canonical != null) {
                            ip.add(canonical);
                        }
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        return dns.equals(new TreeSet<>(dnsNames)) && ip.equals(new TreeSet<>(ips));
    }

    /** An IP literal in one spelling; null for anything that is not one (never a DNS look-up). */
    public static String canonicalIp(String literal) {
        boolean v4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = literal.contains(":") && literal.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}

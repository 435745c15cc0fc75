package io.kube4j.controllers.certificates.approver;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.kube4j.controllers.certificates.CertificateRequests;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When a {@code kubernetes.io/kubelet-serving} request may be approved without a human, as kubelet-csr-approver
 * decides it (upstream leaves these to an external approver; k3s signs them on the server): it has the kubelet
 * serving shape, the requester is the node the certificate names (its own node credentials, group
 * {@code system:nodes}), and every name it asks for is one of that Node's own: its name, its host name and DNS
 * addresses, its IP addresses. A node can thus never obtain a certificate for another node's or a service's name.
 */
public final class ServingCertificateApproval {

    private ServingCertificateApproval() {
    }

    /** Null when it may be approved; otherwise why not. {@code node} is the Node the CSR names, null if unknown. */
    public static String problem(PKCS10CertificationRequest request, List<String> usages, String username,
                                 List<String> groups, Node node) {
        String shape = CertificateRequests.kubeletServingProblem(request, usages);
        if (shape != null) {
            return shape;
        }
        String cn = CertificateRequests.commonName(request.getSubject());
        if (!cn.equals(username) || groups == null || !groups.contains(CertificateRequests.NODES_GROUP)) {
            return "the requester " + username + " is not the node " + cn + " itself";
        }
        String nodeName = cn.substring(CertificateRequests.NODE_PREFIX.length());
        if (node == null || !nodeName.equals(node.getMetadata().getName())) {
            return "node " + nodeName + " is not registered";
        }
        Set<String> dnsNames = new HashSet<>();
        Set<String> ips = new HashSet<>();
        dnsNames.add(nodeName.toLowerCase(Locale.ROOT));
        List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null ? List.of()
                : node.getStatus().getAddresses();
        for (NodeAddress a : addresses) {
            if (a.getAddress() == null) {
                continue;
            }
            switch (String.valueOf(a.getType())) {
                case "Hostname", "InternalDNS", "ExternalDNS" -> dnsNames.add(a.getAddress().toLowerCase(Locale.ROOT));
                case "InternalIP", "ExternalIP" -> {
                    String ip = canonicalIp(a.getAddress());
                    if (ip != null) {
                        ips.add(ip);
                    }
                }
                default -> { }
            }
        }
        GeneralNames names = CertificateRequests.subjectAltNames(request);
        for (GeneralName name : names.getNames()) {
            if (name.getTagNo() == GeneralName.dNSName) {
                String dns = ((ASN1String) name.getName()).getString().toLowerCase(Locale.ROOT);
                if (!dnsNames.contains(dns)) {
                    return "DNS name " + dns + " is not one of node " + nodeName + "'s";
                }
            } else if (name.getTagNo() == GeneralName.iPAddress) {
                String ip = ipOf(ASN1OctetString.getInstance(name.getName()).getOctets());
                if (ip == null || !ips.contains(ip)) {
                    return "IP address " + ip + " is not one of node " + nodeName + "'s";
                }
            }
        }
        return null;
    }

    private static String ipOf(byte[] octets) {
        try {
            return InetAddress.getByAddress(octets).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An IP literal in one spelling; null for anything else (never a DNS look-up). */
    static String canonicalIp(String literal) {
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

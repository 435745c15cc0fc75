package io.kube4j.controllers.certificates.approver;

import io.fabric8.kubernetes.api.model.Node;
import io.kube4j.api.certificates.ServingNames;
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
        ServingNames own = ServingNames.of(node);
        Set<String> dnsNames = new HashSet<>(own.dnsNames());
        dnsNames.add(nodeName.toLowerCase(Locale.ROOT));
        Set<String> ips = new HashSet<>(own.ips());
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
}

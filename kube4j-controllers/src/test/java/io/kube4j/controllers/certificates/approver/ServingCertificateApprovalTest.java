package io.kube4j.controllers.certificates.approver;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The approver's rule for kubelet serving certificates: the node itself, its own names only. */
public class ServingCertificateApprovalTest {
    static final List<String> USAGES = List.of("digital signature", "key encipherment", "server auth");
    static final List<String> NODE_GROUPS = List.of("system:nodes", "system:authenticated");

    static final Node NODE = new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata()
            .withNewStatus().addNewAddress("10.0.0.7", "InternalIP").addNewAddress("worker-1.lan", "Hostname")
            .addNewAddress("fd00::7", "InternalIP").endStatus().build();

    public static PKCS10CertificationRequest request(String subject, GeneralName... names) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic());
        if (names.length > 0) {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
        }
        return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    }

    static GeneralName ip(String ip) {
        return new GeneralName(GeneralName.iPAddress, ip);
    }

    static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    static final String SUBJECT = "O=system:nodes,CN=system:node:worker-1";

    @Test
    void theNodeAskingForItsOwnAddressesAndNamesIsApproved() throws Exception {
        // IPv6 in another spelling, the node name itself, the Hostname address in another case
        PKCS10CertificationRequest r = request(SUBJECT, ip("10.0.0.7"), ip("fd00:0:0:0:0:0:0:7"), dns("worker-1"),
                dns("WORKER-1.lan"));
        assertThat(ServingCertificateApproval.problem(r, USAGES, "system:node:worker-1", NODE_GROUPS, NODE)).isNull();
        assertThat(ServingCertificateApproval.problem(r, List.of("server auth"), "system:node:worker-1", NODE_GROUPS,
                NODE)).isNull();
    }

    @Test
    void anAddressThatIsNotTheNodesIsLeftForAHuman() throws Exception {
        assertThat(ServingCertificateApproval.problem(request(SUBJECT, ip("10.0.0.7"), ip("10.0.0.8")), USAGES,
                "system:node:worker-1", NODE_GROUPS, NODE)).isEqualTo("IP address 10.0.0.8 is not one of node worker-1's");
        assertThat(ServingCertificateApproval.problem(request(SUBJECT, ip("10.0.0.7"),
                dns("kubernetes.default.svc")), USAGES, "system:node:worker-1", NODE_GROUPS, NODE))
                .isEqualTo("DNS name kubernetes.default.svc is not one of node worker-1's");
        assertThat(ServingCertificateApproval.problem(request(SUBJECT, ip("127.0.0.1")), USAGES,
                "system:node:worker-1", NODE_GROUPS, NODE)).contains("127.0.0.1");
    }

    @Test
    void onlyTheNodeItselfMayAsk() throws Exception {
        PKCS10CertificationRequest r = request(SUBJECT, ip("10.0.0.7"));
        assertThat(ServingCertificateApproval.problem(r, USAGES, "system:node:worker-2", NODE_GROUPS, NODE))
                .isEqualTo("the requester system:node:worker-2 is not the node system:node:worker-1 itself");
        assertThat(ServingCertificateApproval.problem(r, USAGES, "system:bootstrap:abcdef",
                List.of("system:bootstrappers"), NODE)).isNotNull();
        // the right user name without the nodes group: not a node credential
        assertThat(ServingCertificateApproval.problem(r, USAGES, "system:node:worker-1",
                List.of("system:authenticated"), NODE)).isNotNull();
    }

    @Test
    void aNodeThatIsNotRegisteredHasNoAddressesToVouchFor() throws Exception {
        assertThat(ServingCertificateApproval.problem(request(SUBJECT, ip("10.0.0.7")), USAGES,
                "system:node:worker-1", NODE_GROUPS, null)).isEqualTo("node worker-1 is not registered");
    }

    @Test
    void theKubeletServingShapeIsRequired() throws Exception {
        String user = "system:node:worker-1";
        assertThat(ServingCertificateApproval.problem(request(SUBJECT), USAGES, user, NODE_GROUPS, NODE))
                .isEqualTo("DNS or IP subjectAltName is required");
        assertThat(ServingCertificateApproval.problem(request(SUBJECT, ip("10.0.0.7")),
                List.of("digital signature", "client auth"), user, NODE_GROUPS, NODE))
                .startsWith("usages must be server auth");
        assertThat(ServingCertificateApproval.problem(request(SUBJECT, ip("10.0.0.7"),
                new GeneralName(GeneralName.rfc822Name, "a@b.c")), USAGES, user, NODE_GROUPS, NODE))
                .isEqualTo("Email subjectAltNames are not allowed");
        assertThat(ServingCertificateApproval.problem(request("O=system:masters,CN=system:node:worker-1",
                ip("10.0.0.7")), USAGES, user, NODE_GROUPS, NODE)).isEqualTo("subject organization is not system:nodes");
        assertThat(ServingCertificateApproval.problem(request("O=system:nodes,CN=worker-1", ip("10.0.0.7")), USAGES,
                user, NODE_GROUPS, NODE)).isEqualTo("subject common name does not begin with system:node:");
    }
}

package io.kube4j.cli;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.apiserver.SecurityOptions;
import io.kube4j.apiserver.authn.BootstrapTokens;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.pki.CertifiedKey;
import io.kube4j.apiserver.pki.Kubeconfigs;
import io.kube4j.apiserver.pki.TlsContexts;
import io.kube4j.cli.agent.ClusterInfo;
import io.kube4j.cli.agent.JoinToken;
import io.kube4j.cli.agent.NodeCertificateRequest;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The join path of {@code kube4j agent} against a real, securely serving API server and the CSR controllers (no
 * containers): the CA from cluster-info, the bootstrap-token CSR, auto-approval, signing, and the refusals.
 */
class AgentJoinTest {

    @TempDir
    static Path dir;

    static Store store;
    static ApiServer server;
    static ControllerManager controllers;
    static KubernetesClient admin;
    static String caPem;

    @BeforeAll
    static void startCluster() throws Exception {
        store = EmbeddedStore.open(dir.resolve("store"));
        server = ApiServer.start(ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", 0), dir)
                .withSecurity(SecurityOptions.defaults(dir)));
        caPem = Files.readString(server.pki().caFile());
        admin = ClusterClients.fromKubeconfig(dir.resolve("admin.kubeconfig"), ClusterClients.CLI);
        controllers = ControllerManager.start(ClusterClients.fromKubeconfig(
                        dir.resolve("kube-controller-manager.kubeconfig"), ClusterClients.CONTROLLER_MANAGER),
                new ControllerManagerOptions().leaderElect(false).controllers(Set.of("csrapproving", "csrsigning"))
                        .clusterSigning(caPem, Files.readString(server.pki().caFile().resolveSibling("ca.key"))));
    }

    @AfterAll
    static void stopCluster() {
        controllers.close();
        admin.close();
        server.close();
        store.close();
    }

    static String bootstrapToken(Duration ttl, Instant issued) {
        String token = BootstrapTokens.generate();
        String json = new String(Json.bytes(BootstrapTokens.secret(token, issued, ttl, "test")),
                StandardCharsets.UTF_8);
        Secret secret = admin.getKubernetesSerialization().unmarshal(json, Secret.class);
        admin.secrets().inNamespace("kube-system").resource(secret).create();
        return token;
    }

    static KubernetesClient bootstrapClient(String token) throws Exception {
        Path file = Kubeconfigs.writeWithToken(dir.resolve("bootstrap-" + token.substring(0, 6) + ".kubeconfig"),
                server.url(), server.pki().caCertificate(), token);
        return ClusterClients.fromKubeconfig(file, WorkerSerialization.create(), ClusterClients.KUBELET); // as kube4j agent joins
    }

    @Test
    void anonymousReadsTheCaFromClusterInfoAndItMatchesTheJoinTokenHash() {
        String fetched = ClusterInfo.fetchCaPem(server.url());
        assertThat(fetched).isEqualTo(caPem);
        String joinToken = TokenCommand.joinToken(Base64.getEncoder().encodeToString(
                caPem.getBytes(StandardCharsets.UTF_8)), "abcdef.0123456789abcdef");
        assertThat(JoinToken.parse(joinToken).matches(fetched)).isTrue();
        assertThat(JoinToken.parse("K10" + "0".repeat(64) + "::abcdef.0123456789abcdef").matches(fetched)).isFalse();
    }

    @Test
    void anonymousReadsNothingElseInKubePublic() throws Exception {
        HttpClient anonymous = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.client(server.pki().caCertificate(), null)).build();
        HttpResponse<String> list = anonymous.send(HttpRequest.newBuilder(URI.create(server.url()
                + "/api/v1/namespaces/kube-public/configmaps")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(401);
    }

    @Test
    void aBootstrapTokenGetsANodeCertificateThatIsApprovedSignedAndWorks() throws Exception {
        String token = bootstrapToken(Duration.ofHours(1), Instant.now());
        CertifiedKey node;
        try (KubernetesClient bootstrap = bootstrapClient(token)) {
            node = NodeCertificateRequest.obtain(bootstrap, "joiner", dir.resolve("joiner.key"),
                    Duration.ofSeconds(60));
        }
        assertThat(node.certificate().getSubjectX500Principal().getName())
                .contains("CN=system:node:joiner").contains("O=system:nodes");
        node.certificate().verify(server.pki().caCertificate().getPublicKey());
        assertThat(node.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");

        CertificateSigningRequest csr = admin.certificates().v1().certificateSigningRequests().list().getItems()
                .stream().filter(c -> c.getSpec().getUsername().equals("system:bootstrap:" + token.substring(0, 6)))
                .findFirst().orElseThrow();
        assertThat(csr.getSpec().getGroups()).contains("system:bootstrappers");
        assertThat(csr.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Approved");
            assertThat(c.getReason()).isEqualTo("AutoApproved");
        });

        // the issued credentials authenticate as the node: it may register itself
        Path kubeconfig = Kubeconfigs.write(dir.resolve("joiner.kubeconfig"), server.url(),
                server.pki().caCertificate(), node);
        try (KubernetesClient asNode = ClusterClients.fromKubeconfig(kubeconfig, WorkerSerialization.create(), ClusterClients.KUBELET)) {
            asNode.nodes().resource(new NodeBuilder().withNewMetadata().withName("joiner").endMetadata().build())
                    .create();
            assertThat(admin.nodes().withName("joiner").get()).isNotNull();
            // ...and run the node's service proxy: it reads Services, EndpointSlices and NetworkPolicies everywhere
            assertThat(asNode.services().inAnyNamespace().list().getItems()).isNotEmpty();
            asNode.discovery().v1().endpointSlices().inAnyNamespace().list();
            asNode.network().v1().networkPolicies().inAnyNamespace().list();
            // a node renews its own certificate with its current one (selfnodeclient), approved the same way
            CertifiedKey renewed = NodeCertificateRequest.obtain(asNode, "joiner", dir.resolve("joiner.key"),
                    Duration.ofSeconds(60));
            assertThat(renewed.certificate().getSerialNumber()).isNotEqualTo(node.certificate().getSerialNumber());
            assertThat(admin.certificates().v1().certificateSigningRequests().list().getItems())
                    .anySatisfy(c -> {
                        assertThat(c.getSpec().getUsername()).isEqualTo("system:node:joiner");
                        assertThat(c.getStatus().getConditions().get(0).getMessage()).contains("self kubelet client");
                    });
            // a node cannot get a certificate for another node through the self-renewal path
            String otherName = "someone-else";
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeCertificateRequest.obtain(asNode, otherName,
                    dir.resolve("other.key"), Duration.ofSeconds(3))).hasMessageContaining("was not signed within");
            // ...but it is no admin
            assertThatThrownBy(() -> asNode.secrets().inNamespace("kube-system").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }

        // the Table kubectl get csr prints
        HttpClient adminHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.client(server.pki().caCertificate(), server.pki().admin())).build();
        HttpResponse<String> table = adminHttp.send(HttpRequest.newBuilder(URI.create(server.url()
                        + "/apis/certificates.k8s.io/v1/certificatesigningrequests/" + csr.getMetadata().getName()))
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(table.statusCode()).isEqualTo(200);
        JsonNode t = Json.parse(table.body().getBytes(StandardCharsets.UTF_8));
        List<String> columns = new java.util.ArrayList<>();
        t.path("columnDefinitions").forEach(c -> columns.add(c.path("name").asString()));
        assertThat(columns).containsExactly("Name", "Age", "SignerName", "Requestor", "RequestedDuration",
                "Condition");
        JsonNode cells = t.path("rows").get(0).path("cells");
        assertThat(cells.get(2).asString()).isEqualTo("kubernetes.io/kube-apiserver-client-kubelet");
        assertThat(cells.get(3).asString()).isEqualTo("system:bootstrap:" + token.substring(0, 6));
        assertThat(cells.get(5).asString()).isEqualTo("Approved,Issued");
    }

    @Test
    void controllerManagerTakesTheSigningCaFromUpstreamsFlags() throws Exception {
        ControllerManagerCommand command = new ControllerManagerCommand();
        new picocli.CommandLine(command).parseArgs("--kubeconfig", "x",
                "--cluster-signing-cert-file", server.pki().caFile().toString(),
                "--cluster-signing-key-file", server.pki().caFile().resolveSibling("ca.key").toString());
        ControllerManagerOptions options = command.options();
        assertThat(options.clusterSigningCertPem()).isEqualTo(caPem);
        assertThat(options.clusterSigningKeyPem()).contains("PRIVATE KEY");
        ControllerManagerCommand half = new ControllerManagerCommand();
        new picocli.CommandLine(half).parseArgs("--kubeconfig", "x",
                "--cluster-signing-cert-file", server.pki().caFile().toString());
        assertThatThrownBy(half::options).hasMessageContaining("go together");
    }

    @Test
    void onlyNodeClientRequestsAreAutoApproved() throws Exception {
        var csrs = admin.certificates().v1().certificateSigningRequests();
        // same signer, but not a node's subject: left for a human, even though admin may create nodeclient CSRs
        CertificateSigningRequest notANode = csr("not-a-node", "kubernetes.io/kube-apiserver-client-kubelet",
                "", "");
        csrs.resource(notANode).create();
        String token = bootstrapToken(Duration.ofHours(1), Instant.now());
        try (KubernetesClient bootstrap = bootstrapClient(token)) {
            NodeCertificateRequest.obtain(bootstrap, "later", dir.resolve("later.key"), Duration.ofSeconds(60));
        }
        // the approver works its queue in order: the earlier request was decided on (and skipped) already
        CertificateSigningRequest after = csrs.withName("not-a-node").get();
        assertThat(after.getStatus() == null || after.getStatus().getConditions() == null
                || after.getStatus().getConditions().isEmpty()).isTrue();
    }

    @Test
    void aWrongOrExpiredTokenIsRefusedWithOneClearLine() throws Exception {
        try (KubernetesClient wrong = bootstrapClient("zzzzzz.0123456789abcdef")) {
            assertThatThrownBy(() -> NodeCertificateRequest.obtain(wrong, "intruder", dir.resolve("intruder.key"),
                    Duration.ofSeconds(10)))
                    .hasMessageContaining("refused the join token (401 Unauthorized)");
        }
        String expired = bootstrapToken(Duration.ofMinutes(1), Instant.now().minus(Duration.ofHours(1)));
        try (KubernetesClient old = bootstrapClient(expired)) {
            assertThatThrownBy(() -> NodeCertificateRequest.obtain(old, "late", dir.resolve("late.key"),
                    Duration.ofSeconds(10)))
                    .hasMessageContaining("refused the join token (401 Unauthorized)");
        }
    }

    @Test
    void theRequestorCannotBeForgedAndTheRequestMustBeAPemCsr() throws Exception {
        var csrs = admin.certificates().v1().certificateSigningRequests();
        assertThatThrownBy(() -> csrs.resource(new CertificateSigningRequestBuilder().withNewMetadata()
                .withName("garbage").endMetadata().withNewSpec().withSignerName("example.com/x")
                .withUsages("client auth").withRequest(Base64.getEncoder().encodeToString("nope".getBytes()))
                .endSpec().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("spec.request");
                });
        CertificateSigningRequest forged = csrs.resource(csr("forged", "example.com/manual", "system:node:victim",
                "system:nodes")).create();
        assertThat(forged.getSpec().getUsername()).isNotEqualTo("system:node:victim").isNotEmpty();
        assertThat(forged.getSpec().getGroups()).contains("system:masters").doesNotContain("forgers");
    }

    @Test
    void approvalOnlyThroughApprovalAndCertificatesOnlyThroughStatus() throws Exception {
        var csrs = admin.certificates().v1().certificateSigningRequests();
        csrs.resource(csr("manual", "example.com/manual", "someone", "people")).create();
        // a status write cannot approve: refused as upstream's validation refuses it, nothing stored
        CertificateSigningRequest viaStatus = new CertificateSigningRequestBuilder(csrs.withName("manual").get())
                .editOrNewStatus().addToConditions(new CertificateSigningRequestConditionBuilder().withType("Approved")
                        .withStatus("True").withReason("Sneaky").build()).endStatus().build();
        assertThatThrownBy(() -> csrs.resource(viaStatus).updateStatus())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("updates may not add a condition of type \"Approved\"");
                });
        CertificateSigningRequest afterStatus = csrs.withName("manual").get();
        assertThat(afterStatus.getStatus() == null || afterStatus.getStatus().getConditions() == null
                || afterStatus.getStatus().getConditions().isEmpty()).isTrue();
        // the approval subresource can, but cannot set a certificate
        CertificateSigningRequest approved = csrs.withName("manual").approve();
        assertThat(approved.getStatus().getConditions()).extracting(c -> c.getType()).containsExactly("Approved");
        // and the approval cannot be taken back
        assertThatThrownBy(() -> csrs.withName("manual").deny())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    }

    static CertificateSigningRequest csr(String name, String signer, String forgedUser, String forgedGroup)
            throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var keys = generator.generateKeyPair();
        var subject = new org.bouncycastle.asn1.x500.X500Name("CN=" + name);
        var request = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .build(keys.getPrivate()));
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder().encodeToString(request.getEncoded()) + "\n-----END CERTIFICATE REQUEST-----\n";
        return new CertificateSigningRequestBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withSignerName(signer).withUsages("client auth")
                .withUsername(forgedUser)
                .withGroups(forgedGroup, "forgers")
                .withRequest(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))
                .endSpec().build();
    }
}

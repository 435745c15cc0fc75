package io.kube4j.apiserver.admission;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.authz.Authorizer;
import io.kube4j.apiserver.authz.DefaultPolicy;
import io.kube4j.apiserver.authz.InMemoryRbacSource;
import io.kube4j.apiserver.authz.PrivilegedGroupAuthorizer;
import io.kube4j.apiserver.authz.RbacAuthorizer;
import io.kube4j.apiserver.authz.UnionAuthorizer;
import io.kube4j.apiserver.json.Json;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CertificateApproval, CertificateSigning and CertificateSubjectRestriction over the default RBAC policy. */
class CertificateAdmissionTest {

    private static final String KUBELET_CLIENT = "kubernetes.io/kube-apiserver-client-kubelet";
    private static final String API_CLIENT = "kubernetes.io/kube-apiserver-client";

    private static final UserInfo CERTIFICATE_CONTROLLER = new UserInfo(
            "system:serviceaccount:kube-system:certificate-controller", "uid-cc",
            List.of("system:serviceaccounts", "system:serviceaccounts:kube-system", UserInfo.ALL_AUTHENTICATED),
            Map.of());
    private static final UserInfo ADMIN = new UserInfo("admin", "", List.of(UserInfo.SYSTEM_MASTERS,
            UserInfo.ALL_AUTHENTICATED), Map.of());
    private static final UserInfo JANE = new UserInfo("jane", "uid-jane", List.of(UserInfo.ALL_AUTHENTICATED),
            Map.of());
    private static final UserInfo BOB = new UserInfo("bob", "uid-bob", List.of(UserInfo.ALL_AUTHENTICATED),
            Map.of());

    private final Authorizer authorizer = authorizer();
    private final CertificateApprovalAdmission approval = new CertificateApprovalAdmission(authorizer);
    private final CertificateSigningAdmission signing = new CertificateSigningAdmission(authorizer);
    private final CertificateSubjectRestrictionAdmission subjects = new CertificateSubjectRestrictionAdmission();

    /** The default policy, plus jane who may approve and sign for any signer of example.com (a domain wildcard). */
    private static Authorizer authorizer() {
        InMemoryRbacSource rbac = InMemoryRbacSource.of(DefaultPolicy.objects());
        rbac.put((ObjectNode) Json.parse("""
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"example-signer"},
                 "rules":[{"apiGroups":["certificates.k8s.io"],"resources":["signers"],"verbs":["approve","sign"],
                           "resourceNames":["example.com/*"]}]}""".getBytes(StandardCharsets.UTF_8)));
        rbac.put((ObjectNode) Json.parse("""
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"jane"},
                 "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"example-signer"},
                 "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"jane"}]}"""
                .getBytes(StandardCharsets.UTF_8)));
        return new UnionAuthorizer(List.of(new PrivilegedGroupAuthorizer(UserInfo.SYSTEM_MASTERS),
                new RbacAuthorizer(rbac)));
    }

    private static ObjectNode csr(String signerName, String request) {
        ObjectNode obj = Json.object();
        obj.put("apiVersion", "certificates.k8s.io/v1").put("kind", "CertificateSigningRequest");
        Json.metadata(obj).put("name", "req");
        ObjectNode spec = obj.putObject("spec");
        spec.put("signerName", signerName).put("request", request == null ? "" : request);
        spec.putArray("usages").add("client auth");
        return obj;
    }

    private static ObjectNode approved(ObjectNode csr) {
        ObjectNode copy = csr.deepCopy();
        copy.putObject("status").putArray("conditions").addObject().put("type", "Approved").put("status", "True")
                .put("reason", "AutoApproved");
        return copy;
    }

    private static AdmissionRequest update(String subresource, ObjectNode object, ObjectNode old, UserInfo user) {
        return new AdmissionRequest(Operation.UPDATE, "certificates.k8s.io", "certificatesigningrequests",
                subresource, "", "req", object, old, user, false);
    }

    private static AdmissionRequest create(ObjectNode object, UserInfo user) {
        return new AdmissionRequest(Operation.CREATE, "certificates.k8s.io", "certificatesigningrequests", "", "",
                "req", object, null, user, false);
    }

    private static String request(String subject) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var keys = generator.generateKeyPair();
        var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(csr.getEncoded())
                + "\n-----END CERTIFICATE REQUEST-----\n";
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aStatusWriteThatAddsAnApprovalIsRefusedBeforeAnyValidatingPlugin() {
        // the 422 comes first, as upstream validates before its validating admission runs
        ObjectNode pending = csr(KUBELET_CLIENT, null);
        CertificateSigningRequestAdmission requests = new CertificateSigningRequestAdmission();
        assertThatThrownBy(() -> requests.admit(update("status", approved(pending), pending, BOB)))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(422))
                .hasMessageContaining("status.conditions: Forbidden: updates may not add a condition of type "
                        + "\"Approved\"");

        ObjectNode changed = approved(pending);
        ((ObjectNode) changed.path("status").path("conditions").get(0)).put("reason", "Changed");
        requests.admit(update("status", changed, approved(pending), BOB));
        assertThat(changed.path("status").path("conditions").get(0).path("reason").asString())
                .as("the stored approval is kept").isEqualTo("AutoApproved");
    }

    @Test
    void approvingNeedsTheApproveVerbOnTheSigner() {
        ObjectNode kubelet = csr(KUBELET_CLIENT, null);
        assertThatCode(() -> approval.validate(update("approval", approved(kubelet), kubelet, CERTIFICATE_CONTROLLER)))
                .doesNotThrowAnyException();

        ObjectNode client = csr(API_CLIENT, null);
        assertThatThrownBy(() -> approval.validate(update("approval", approved(client), client,
                CERTIFICATE_CONTROLLER)))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("certificatesigningrequests.certificates.k8s.io \"req\" is "
                            + "forbidden: user not permitted to approve requests with signerName \"" + API_CLIENT
                            + "\"");
                });
        assertThatCode(() -> approval.validate(update("approval", approved(client), client, ADMIN)))
                .doesNotThrowAnyException();
    }

    @Test
    void aDomainWildcardGrantsEverySignerOfTheDomain() {
        ObjectNode example = csr("example.com/team-a", null);
        assertThatCode(() -> approval.validate(update("approval", approved(example), example, JANE)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> approval.validate(update("approval", approved(example), example, BOB)))
                .isInstanceOf(StatusException.class);
        ObjectNode other = csr("example.org/team-a", null);
        assertThatThrownBy(() -> approval.validate(update("approval", approved(other), other, JANE)))
                .isInstanceOf(StatusException.class);
    }

    @Test
    void approvalIsTheOnlyWriteTheApprovalPluginLooksAt() {
        ObjectNode client = csr(API_CLIENT, null);
        // a status write is the signing plugin's business, a main-resource write nobody's here
        assertThatCode(() -> approval.validate(update("", client, client, BOB))).doesNotThrowAnyException();
        assertThatCode(() -> approval.validate(update("status", approved(client), client, BOB)))
                .doesNotThrowAnyException();
    }

    @Test
    void issuingACertificateNeedsTheSignVerb() {
        ObjectNode old = approved(csr(API_CLIENT, null));
        ObjectNode issued = old.deepCopy();
        Json.child(issued, "status").put("certificate", "Y2VydA==");
        assertThatCode(() -> signing.validate(update("status", issued, old, CERTIFICATE_CONTROLLER)))
                .doesNotThrowAnyException();

        ObjectNode foreignOld = approved(csr("example.com/team-a", null));
        ObjectNode foreign = foreignOld.deepCopy();
        Json.child(foreign, "status").put("certificate", "Y2VydA==");
        assertThatThrownBy(() -> signing.validate(update("status", foreign, foreignOld, CERTIFICATE_CONTROLLER)))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).endsWith("user not permitted to sign requests with signerName "
                            + "\"example.com/team-a\"");
                });
        assertThatCode(() -> signing.validate(update("status", foreign, foreignOld, JANE)))
                .doesNotThrowAnyException();
    }

    @Test
    void aFailedConditionIsSigningTooButAnUnchangedStatusIsNot() {
        ObjectNode old = approved(csr("example.com/team-a", null));
        ObjectNode failed = old.deepCopy();
        ((tools.jackson.databind.node.ArrayNode) failed.path("status").path("conditions")).addObject()
                .put("type", "Failed").put("status", "True").put("reason", "SignerValidationFailure");
        assertThatThrownBy(() -> signing.validate(update("status", failed, old, BOB)))
                .isInstanceOf(StatusException.class);
        assertThatCode(() -> signing.validate(update("status", old.deepCopy(), old, BOB))).doesNotThrowAnyException();
    }

    @Test
    void theApiServerClientSignerRefusesSystemMasters() throws Exception {
        ObjectNode masters = csr(API_CLIENT, request("CN=mallory,O=system:masters"));
        assertThatThrownBy(() -> subjects.validate(create(masters, ADMIN)))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("certificatesigningrequests.certificates.k8s.io \"req\" is "
                            + "forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters "
                            + "group is not allowed");
                });
        // one O among several still counts
        ObjectNode hidden = csr(API_CLIENT, request("CN=mallory,O=dev,O=system:masters"));
        assertThatThrownBy(() -> subjects.validate(create(hidden, ADMIN))).isInstanceOf(StatusException.class);
    }

    @Test
    void otherGroupsAndOtherSignersPass() throws Exception {
        assertThatCode(() -> subjects.validate(create(csr(API_CLIENT, request("CN=jane,O=developers")), JANE)))
                .doesNotThrowAnyException();
        assertThatCode(() -> subjects.validate(create(csr("example.com/team-a",
                request("CN=mallory,O=system:masters")), JANE))).doesNotThrowAnyException();
        // garbage is for validation to refuse, with a field error rather than a crash here
        assertThatCode(() -> subjects.validate(create(csr(API_CLIENT, "bm90IGEgcmVxdWVzdA=="), JANE)))
                .doesNotThrowAnyException();
    }
}

package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.authn.FakeLookup;
import io.kube4j.apiserver.authn.RequestAuthenticator;
import io.kube4j.apiserver.authn.TokenFileAuthenticator;
import io.kube4j.apiserver.authn.X509Authenticator;
import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.Kubeconfigs;
import io.kube4j.apiserver.pki.PkiOptions;
import io.kube4j.apiserver.pki.TlsContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.kube4j.apiserver.authz.Policies.roleBinding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real kubectl against the security components: whoami, can-i --list, and refusals. */
class KubectlAuthTest {

    @TempDir
    static Path dir;
    static ClusterPki pki;
    static SecureTestServer server;
    static final InMemoryRbacSource source = Policies.defaults();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl not installed");
        pki = ClusterPki.loadOrCreate(dir.resolve("pki"), PkiOptions.defaults());
        source.put(roleBinding("dev", "jane-view", "ClusterRole", "view", DefaultPolicy.user("jane")));
        RbacAuthorizer rbac = new RbacAuthorizer(source);
        Authorizer authorizer = UnionAuthorizer.standard(new NodeAuthorizer(new FakeLookup()), rbac);
        RequestAuthenticator authenticator = new RequestAuthenticator(List.of(
                new X509Authenticator(List.of(pki.caCertificate()), Clock.systemUTC()),
                TokenFileAuthenticator.parse("jane-token,jane,uid-jane,\"devs,qa\"\n")), true);
        server = new SecureTestServer(TlsContexts.server(pki, false), new AccessControl(authenticator, authorizer),
                new AccessReviews(authorizer, rbac));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String url() {
        return "https://127.0.0.1:" + server.port();
    }

    record Result(int exit, String output) {
    }

    static Result kubectl(Path kubeconfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", dir.resolve("cache").toString(), "--request-timeout=10s"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("kubectl " + args[0] + " hung: " + new String(process.getInputStream().readAllBytes()));
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes()));
    }

    @Test
    void whoamiWithTheAdminCertificate() throws Exception {
        Path kubeconfig = Kubeconfigs.write(dir.resolve("admin.kubeconfig"), url(), pki.caCertificate(), pki.admin());
        Result result = kubectl(kubeconfig, "auth", "whoami", "-o", "json");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"username\": \"system:admin\"", "system:masters",
                "system:authenticated");
    }

    @Test
    void canIListMatchesTheBindings() throws Exception {
        Path kubeconfig = Kubeconfigs.writeWithToken(dir.resolve("jane.kubeconfig"), url(), pki.caCertificate(),
                "jane-token");
        Result whoami = kubectl(kubeconfig, "auth", "whoami");
        assertThat(whoami.output()).as(whoami.output()).contains("jane", "devs");

        Result dev = kubectl(kubeconfig, "auth", "can-i", "--list", "-n", "dev");
        assertThat(dev.exit()).as(dev.output()).isZero();
        assertThat(dev.output()).contains("pods", "deployments.apps", "selfsubjectaccessreviews.authorization.k8s.io")
                .doesNotContain("secrets ");
        Result prod = kubectl(kubeconfig, "auth", "can-i", "--list", "-n", "prod");
        assertThat(prod.output()).doesNotContain("deployments.apps");
    }

    @Test
    void badCredentialsAreUnauthorized() throws Exception {
        Path kubeconfig = Kubeconfigs.writeWithToken(dir.resolve("bad.kubeconfig"), url(), pki.caCertificate(),
                "wrong-token");
        Result result = kubectl(kubeconfig, "auth", "whoami");
        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("Unauthorized");
    }
}

package io.kube4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.apiserver.pki.CertifiedKey;
import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.Kubeconfigs;
import io.kube4j.cli.agent.ClusterInfo;
import io.kube4j.cli.agent.JoinToken;
import io.kube4j.cli.agent.NodeCertificateRequest;
import io.kube4j.kubelet.certificate.NodeCertificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kube4j agent}: a worker node joining a running server with a join token. It learns the server's CA from
 * {@code kube-public/cluster-info} and trusts it only if it matches the token's hash, obtains its node client
 * certificate through a CertificateSigningRequest (authenticated by the bootstrap token, approved and signed by
 * the server's controller manager), writes {@code DIR/kubelet.kubeconfig}, and runs the same worker components as
 * {@code kube4j server}. A restart reuses {@code DIR/kubelet.kubeconfig}; the token is then not needed again.
 * <p>
 * The service proxy runs with the node's credentials: the default policy lets {@code system:nodes} read what a
 * proxy reads, so one identity per node, renewed by one CSR, covers both; no kube-proxy key has to travel to the
 * agent. The cluster DNS is served by the server's node.
 */
@Command(name = "agent", description = "Run a worker node that joins a server with a join token.",
        mixinStandardHelpOptions = true)
final class AgentCommand implements Callable<Integer> {

    @Option(names = "--server", required = true, paramLabel = "URL", description = "the server's API, https://HOST:PORT")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "join token from kube4j token create (K10<ca-hash>::<id>.<secret>); not needed once "
                    + "DIR/kubelet.kubeconfig exists")
    String token;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "where this node keeps its state")
    Path dataDir;

    @Option(names = "--join-timeout", defaultValue = "300", paramLabel = "SECONDS",
            description = "how long to wait for the node certificate to be signed (default: ${DEFAULT-VALUE})")
    long joinTimeoutSeconds;

    @Mixin
    WorkerOptions worker;

    @Override
    public Integer call() throws Exception {
        worker.externalRuntimeSocket(); // a bad --container-runtime-endpoint is refused before joining
        WorkerNode.requireNodeHost(); // so is a host the node cannot run on
        Path kubeconfig = dataDir.resolve("kubelet.kubeconfig");
        if (Files.exists(kubeconfig)) {
            System.err.println("kube4j agent: reusing the node credentials in " + kubeconfig);
            renewIfExpiring(kubeconfig);
        } else {
            join(kubeconfig);
        }
        // the cluster DNS needs write access to kube-system; nodes have none, the server's node serves it
        if (!worker.disableDns) {
            System.err.println("kube4j agent: cluster DNS is served by the server's node (nodes may not publish "
                    + "kube-system/kube-dns)");
            worker.disableDns = true;
        }
        new Components().runUntilStopped(components -> {
            // one client for the kubelet and kube-proxy (they share the node's credentials): its writes are the kubelet's
            KubernetesClient node = components.add(ClusterClients.fromKubeconfig(kubeconfig, WorkerSerialization.create(),
                    ClusterClients.KUBELET));
            // as upstream's serverTLSBootstrap: the kubelet asks the cluster for its serving certificate (a
            // kubernetes.io/kubelet-serving CSR the controller manager approves and signs), so the API server can
            // reach it over verified TLS for logs, exec and the node proxy
            X509Certificate ca = NodeCertificates.parse(embedded(Files.readString(kubeconfig),
                    "certificate-authority-data")).get(0);
            io.kube4j.kubelet.certificate.ServingBootstrap serving = new io.kube4j.kubelet.certificate.ServingBootstrap(
                    ca, dataDir.resolve("kubelet").resolve("pki"));
            WorkerNode.start(components, node, node, worker, dataDir, Map.of(),
                    kubelet -> kubelet.withServerTlsBootstrap(serving));
            System.err.println("kube4j agent: node " + worker.nodeName() + " joined " + server);
        });
        return 0;
    }

    /**
     * A node certificate within {@link ClusterPki#RENEW_BEFORE} of its end is renewed at start, as the server renews
     * its own: the node asks with its current certificate (selfnodeclient), or with --token once it has expired.
     */
    private void renewIfExpiring(Path kubeconfig) throws Exception {
        String text = Files.readString(kubeconfig);
        X509Certificate current = NodeCertificates.parse(embedded(text, "client-certificate-data")).get(0);
        Instant notAfter = current.getNotAfter().toInstant();
        if (notAfter.isAfter(Instant.now().plus(ClusterPki.RENEW_BEFORE))) {
            return;
        }
        if (notAfter.isBefore(Instant.now().plusSeconds(60))) {
            if (token == null) {
                throw new IllegalStateException("the node certificate in " + kubeconfig + " expired on " + notAfter
                        + ": pass --token to join again");
            }
            join(kubeconfig);
            return;
        }
        System.err.println("kube4j agent: the node certificate ends on " + notAfter + ": renewing it");
        X509Certificate ca = NodeCertificates.parse(embedded(text, "certificate-authority-data")).get(0);
        try (KubernetesClient node = ClusterClients.fromKubeconfig(kubeconfig, WorkerSerialization.create(),
                ClusterClients.KUBELET)) {
            CertifiedKey renewed = NodeCertificateRequest.obtain(node, worker.nodeName(),
                    dataDir.resolve("kubelet.key"), Duration.ofSeconds(joinTimeoutSeconds));
            Kubeconfigs.write(kubeconfig, server, ca, renewed);
        }
    }

    private static String embedded(String kubeconfig, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(field + ":\\s*(\\S+)").matcher(kubeconfig);
        if (!m.find()) {
            throw new IllegalStateException("the node kubeconfig has no " + field + ": delete it and join again");
        }
        return new String(java.util.Base64.getDecoder().decode(m.group(1)), java.nio.charset.StandardCharsets.UTF_8);
    }

    private void join(Path kubeconfig) throws Exception {
        if (token == null) {
            throw new IllegalArgumentException("needs --token (from kube4j token create on the server) to join: "
                    + kubeconfig + " does not exist yet");
        }
        JoinToken join = JoinToken.parse(token);
        String nodeName = worker.nodeName();
        System.err.println("kube4j agent: fetching the cluster CA from " + server);
        String caPem = ClusterInfo.fetchCaPem(server);
        if (!join.matches(caPem)) {
            throw new IllegalStateException("the server's CA (sha256 " + JoinToken.sha256(caPem)
                    + ") does not match the token's CA hash " + join.caHash() + ": wrong server or token, "
                    + "or someone in between; nothing was sent");
        }
        X509Certificate ca = NodeCertificates.parse(caPem).get(0);
        Files.createDirectories(dataDir);
        Path bootstrap = Kubeconfigs.writeWithToken(dataDir.resolve("bootstrap.kubeconfig"), server, ca,
                join.bootstrapToken());
        CertifiedKey credentials;
        try (KubernetesClient client = ClusterClients.fromKubeconfig(bootstrap, WorkerSerialization.create(),
                ClusterClients.KUBELET)) {
            credentials = NodeCertificateRequest.obtain(client, nodeName, dataDir.resolve("kubelet.key"),
                    Duration.ofSeconds(joinTimeoutSeconds));
        } finally {
            // the token is a secret: it is not kept once the node has its own credentials
            Files.deleteIfExists(bootstrap);
        }
        Kubeconfigs.write(kubeconfig, server, ca, credentials);
        System.err.println("kube4j agent: wrote " + kubeconfig);
    }
}

package io.kube4j.apiserver.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** Kubeconfig files with the CA and client credentials embedded as base64 data, as kubectl reads them. */
public final class Kubeconfigs {

    private Kubeconfigs() {
    }

    /** Writes (0600) a kubeconfig with one cluster, user and context, all named {@code default}. */
    public static Path write(Path file, String serverUrl, X509Certificate ca, CertifiedKey client) throws IOException {
        Pem.write(file, render(serverUrl, ca, client), true);
        return file;
    }

    public static Path write(Path file, String serverUrl, X509Certificate ca, X509Certificate clientCertificate,
                             java.security.PrivateKey clientKey) throws IOException {
        return write(file, serverUrl, ca, new CertifiedKey(clientCertificate, clientKey));
    }

    /**
     * The kubeconfigs of the admin and the control-plane components in {@code dir}: admin.kubeconfig,
     * kube-scheduler.kubeconfig, kube-controller-manager.kubeconfig, kube-proxy.kubeconfig.
     */
    public static java.util.Map<String, Path> writeControlPlane(ClusterPki pki, Path dir, String serverUrl)
            throws IOException {
        java.util.Map<String, Path> files = new java.util.LinkedHashMap<>();
        files.put(ClusterPki.ADMIN, write(dir.resolve("admin.kubeconfig"), serverUrl, pki.caCertificate(), pki.admin()));
        files.put(ClusterPki.SCHEDULER, write(dir.resolve("kube-scheduler.kubeconfig"), serverUrl, pki.caCertificate(),
                pki.scheduler()));
        files.put(ClusterPki.CONTROLLER_MANAGER, write(dir.resolve("kube-controller-manager.kubeconfig"), serverUrl,
                pki.caCertificate(), pki.controllerManager()));
        files.put(ClusterPki.KUBE_PROXY, write(dir.resolve("kube-proxy.kubeconfig"), serverUrl, pki.caCertificate(),
                pki.kubeProxy()));
        return files;
    }

    /** A kubeconfig authenticating with a bearer token instead of a client certificate. */
    public static Path writeWithToken(Path file, String serverUrl, X509Certificate ca, String token)
            throws IOException {
        String text = header(serverUrl, ca) + "    token: " + token + "\n";
        Pem.write(file, text, true);
        return file;
    }

    public static String render(String serverUrl, X509Certificate ca, CertifiedKey client) {
        return header(serverUrl, ca)
                + "    client-certificate-data: " + base64(Pem.certificate(client.certificate())) + "\n"
                + "    client-key-data: " + base64(Pem.privateKey(client.key())) + "\n";
    }

    private static String header(String serverUrl, X509Certificate ca) {
        return "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- cluster:\n"
                + "    certificate-authority-data: " + base64(Pem.certificate(ca)) + "\n"
                + "    server: " + serverUrl + "\n"
                + "  name: default\n"
                + "contexts:\n"
                + "- context:\n"
                + "    cluster: default\n"
                + "    namespace: default\n"
                + "    user: default\n"
                + "  name: default\n"
                + "current-context: default\n"
                + "preferences: {}\n"
                + "users:\n"
                + "- name: default\n"
                + "  user:\n";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

package io.kube4j.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the API client a component uses. Every component reaches the cluster through the API server with a
 * kubeconfig, even when it runs in the server's own JVM: that keeps the shape honest.
 */
final class ClusterClients {
    private ClusterClients() {
    }

    private static String keyAlgorithm(Config config) {
        String data = config.getClientKeyData();
        if (data == null || data.isEmpty()) {
            return config.getClientKeyAlgo();
        }
        try {
            String pem = new String(java.util.Base64.getDecoder().decode(data.trim()),
                    java.nio.charset.StandardCharsets.US_ASCII);
            return io.kube4j.apiserver.pki.Pem.parsePrivateKey(pem).getAlgorithm().equals("RSA") ? "RSA" : "EC";
        } catch (IOException | IllegalArgumentException e) {
            return config.getClientKeyAlgo();
        }
    }

    static KubernetesClient fromKubeconfig(Path kubeconfig) {
        if (!Files.isRegularFile(kubeconfig)) {
            throw new IllegalArgumentException("kubeconfig " + kubeconfig + " does not exist: pass --kubeconfig FILE");
        }
        try {
            Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
            // Components watch for as long as they run; the client's request timeout must not cut a watch.
            config.setRequestTimeout(0);
            // kube4j's client keys are EC P-256 in PKCS#8; fabric8 reads a PKCS#8 key with the algorithm it is told
            config.setClientKeyAlgo(keyAlgorithm(config));
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage());
        }
    }
}

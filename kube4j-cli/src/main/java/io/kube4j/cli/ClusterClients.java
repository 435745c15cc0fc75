package io.kube4j.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.Utils;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kube4j.apiserver.discovery.VersionInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the API client a component uses. Every component reaches the cluster through the API server with a
 * kubeconfig, even when it runs in the server's own JVM: that keeps the shape honest.
 */
final class ClusterClients {
    /** Upstream's component names, which the clients send as their User-Agent (see {@link #fromKubeconfig}). */
    static final String SCHEDULER = "kube-scheduler";
    static final String CONTROLLER_MANAGER = "kube-controller-manager";
    static final String KUBELET = "kubelet";
    static final String PROXY = "kube-proxy";
    /** kube4j's own commands that call the API (token, agent join). */
    static final String CLI = "kube4j";

    private ClusterClients() {
    }

    /**
     * The algorithm of the kubeconfig's client key, which fabric8 must be told for a PKCS#8 key. Read with the JDK: a
     * worker's JVM then never loads Bouncy Castle (~200 classes it would keep) for a kubeconfig.
     */
    private static String keyAlgorithm(Config config) {
        String data = config.getClientKeyData();
        if (data == null || data.isEmpty()) {
            return config.getClientKeyAlgo();
        }
        String pem;
        try {
            pem = new String(java.util.Base64.getDecoder().decode(data.trim()), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return config.getClientKeyAlgo();
        }
        // PKCS#1 and SEC1 keys say it in their PEM header
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            return "RSA";
        }
        if (pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            return "EC";
        }
        try {
            return io.kube4j.api.certificates.PemBlocks.privateKey(pem).getAlgorithm();
        } catch (java.security.GeneralSecurityException e) {
            return config.getClientKeyAlgo(); // fabric8 will say what is wrong with the key
        }
    }

    /** @param component who the client acts for, its User-Agent's name (kube-scheduler, kubelet, ...) */
    static KubernetesClient fromKubeconfig(Path kubeconfig, String component) {
        return fromKubeconfig(kubeconfig, null, component);
    }

    /**
     * What {@link Config#fromKubeconfig(String, String, String)} does, but reading the file with {@code serialization}:
     * fabric8 parses kubeconfigs with its static default serialization, whose first use loads every model class. File
     * references in the kubeconfig resolve against the working directory (the agent's kubeconfigs embed their data).
     */
    private static Config parse(String kubeconfig, KubernetesSerialization serialization) {
        Config config = Config.empty();
        KubeConfigUtils.merge(config, null, serialization.unmarshal(kubeconfig, io.fabric8.kubernetes.api.model.Config.class));
        if (!Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_DISABLE_AUTO_CONFIG_SYSTEM_PROPERTY, false)) {
            Config.configFromSysPropsOrEnvVars(config); // KUBERNETES_* and proxy settings, as fromKubeconfig applies them
        }
        return config;
    }

    /**
     * @param serialization the client's JSON mapping; null: fabric8's default, which knows every model kind
     * @param component     who the client acts for: its User-Agent, whose name the API server records as the field
     *                      manager of its writes (upstream's components are kube-scheduler, kube-controller-manager,
     *                      kubelet, kube-proxy; fabric8's own agent would make every write fabric8-kubernetes-client's)
     */
    static KubernetesClient fromKubeconfig(Path kubeconfig, KubernetesSerialization serialization, String component) {
        if (!Files.isRegularFile(kubeconfig)) {
            throw new IllegalArgumentException("kubeconfig " + kubeconfig + " does not exist: pass --kubeconfig FILE");
        }
        try {
            Config config = serialization == null
                    ? Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString())
                    : parse(Files.readString(kubeconfig), serialization);
            // Components watch for as long as they run; the client's request timeout must not cut a watch.
            config.setRequestTimeout(0);
            config.setUserAgent(VersionInfo.userAgent(component));
            // kube4j's client keys are EC P-256 in PKCS#8; fabric8 reads a PKCS#8 key with the algorithm it is told
            config.setClientKeyAlgo(keyAlgorithm(config));
            KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config)
                    .withHttpClientFactory(ApiClientThreads.httpClientFactory())
                    .withTaskExecutor(ApiClientThreads.executor());
            return (serialization == null ? builder : builder.withKubernetesSerialization(serialization)).build();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage());
        }
    }
}

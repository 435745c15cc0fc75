package io.kube4j.kubelet.server;

import io.kube4j.api.protobuf.GoTime;
import io.kube4j.kubelet.KubeletOptions;
import io.kube4j.kubelet.eviction.Threshold;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Upstream's {@code /configz}: {@code {"kubeletconfig": {...}}}, the configuration this kubelet runs with as a
 * {@code kubelet.config.k8s.io/v1beta1} KubeletConfiguration - the fields kube4j's kubelet has, under upstream's names
 * and in its forms (Go durations, {@code unix://} endpoints); what it does not have is left out rather than invented.
 */
public final class Configz {
    private final Map<String, Object> body;

    public Configz(KubeletOptions options) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("kind", "KubeletConfiguration");
        config.put("apiVersion", "kubelet.config.k8s.io/v1beta1");
        config.put("enableServer", options.serverAddress() != null);
        if (options.serverAddress() != null) {
            config.put("address", options.serverAddress().getHostString());
            config.put("port", options.serverAddress().getPort());
        }
        if (options.staticPodPath() != null) {
            config.put("staticPodPath", options.staticPodPath().toString());
        }
        config.put("podLogsDir", options.podLogDir().toString());
        config.put("syncFrequency", duration(options.syncFrequency()));
        boolean secure = options.serverTls() != null || options.serverTlsBootstrap() != null;
        config.put("serverTLSBootstrap", options.serverTlsBootstrap() != null);
        // secure: client certificates and bearer tokens checked with a TokenReview, requests with a SubjectAccessReview;
        // plain (tests on loopback): nobody is asked
        config.put("authentication", Map.of("x509", Map.of(), "webhook", Map.of("enabled", secure),
                "anonymous", Map.of("enabled", !secure)));
        config.put("authorization", Map.of("mode", secure ? "Webhook" : "AlwaysAllow"));
        config.put("clusterDomain", options.clusterDomain());
        config.put("clusterDNS", options.clusterDns());
        config.put("nodeStatusUpdateFrequency", duration(options.statusUpdateInterval()));
        // upstream renews its Lease every quarter of the lease's duration
        config.put("nodeLeaseDurationSeconds", options.leaseRenewInterval().multipliedBy(4).toSeconds());
        config.put("cgroupDriver", "cgroupfs");
        if (options.podCidr() != null) {
            config.put("podCIDR", options.podCidr());
        }
        Map<String, String> evictionHard = new LinkedHashMap<>();
        for (Threshold t : options.evictionHard().all()) {
            evictionHard.put(t.signal().flagName(), t.text());
        }
        config.put("evictionHard", evictionHard);
        config.put("containerRuntimeEndpoint", "unix://" + options.runtimeEndpoint());
        this.body = Map.of("kubeletconfig", config);
    }

    private static String duration(Duration d) {
        return GoTime.duration(d.toNanos());
    }

    /** The response body, for JSON. */
    public Map<String, Object> body() {
        return body;
    }
}

package io.kube4j.apiserver.pki;

import java.time.Clock;
import java.util.List;

/**
 * What the cluster PKI needs to know: extra serving-certificate SANs ({@code --tls-san}), the node's own
 * addresses and name, the {@code kubernetes} Service ClusterIP, the cluster DNS domain, the key type, and the
 * clock (tests move it to age certificates).
 */
public record PkiOptions(List<String> tlsSans, List<String> nodeAddresses, String serviceClusterIp,
                         String clusterDomain, KeyAlgorithm keyAlgorithm, Clock clock) {

    public static final String DEFAULT_SERVICE_IP = "10.43.0.1";
    public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";

    public PkiOptions {
        tlsSans = tlsSans == null ? List.of() : List.copyOf(tlsSans);
        nodeAddresses = nodeAddresses == null ? List.of() : List.copyOf(nodeAddresses);
        serviceClusterIp = serviceClusterIp == null ? DEFAULT_SERVICE_IP : serviceClusterIp;
        clusterDomain = clusterDomain == null ? DEFAULT_CLUSTER_DOMAIN : clusterDomain;
        keyAlgorithm = keyAlgorithm == null ? KeyAlgorithm.EC_P256 : keyAlgorithm;
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    public static PkiOptions defaults() {
        return new PkiOptions(List.of(), List.of(), null, null, null, null);
    }

    public PkiOptions withTlsSans(List<String> sans) {
        return new PkiOptions(sans, nodeAddresses, serviceClusterIp, clusterDomain, keyAlgorithm, clock);
    }

    public PkiOptions withNodeAddresses(List<String> addresses) {
        return new PkiOptions(tlsSans, addresses, serviceClusterIp, clusterDomain, keyAlgorithm, clock);
    }

    public PkiOptions withClock(Clock newClock) {
        return new PkiOptions(tlsSans, nodeAddresses, serviceClusterIp, clusterDomain, keyAlgorithm, newClock);
    }

    /** The {@code kubernetes} Service's ClusterIP, which the serving certificate names. */
    public PkiOptions withServiceClusterIp(String ip) {
        return new PkiOptions(tlsSans, nodeAddresses, ip, clusterDomain, keyAlgorithm, clock);
    }

    public PkiOptions withKeyAlgorithm(KeyAlgorithm algorithm) {
        return new PkiOptions(tlsSans, nodeAddresses, serviceClusterIp, clusterDomain, algorithm, clock);
    }
}

package io.kube4j.cli;

import picocli.CommandLine.Option;

/**
 * Where an API server listens and what address it publishes: the flags {@code kube4j apiserver} and
 * {@code kube4j server} share, so that both read and check them the same way.
 */
final class ApiServingOptions {

    @Option(names = "--port", description = "API port (default: ${DEFAULT-VALUE})", defaultValue = "6443")
    int port;

    @Option(names = "--bind-address", description = "address the API listens on (default: ${DEFAULT-VALUE})",
            defaultValue = "127.0.0.1")
    String bindAddress;

    @Option(names = "--advertise-address", paramLabel = "IP", description = "address pods and other hosts reach the "
            + "API on, published as the endpoints of Service default/kubernetes (default: --bind-address when it is a "
            + "concrete non-loopback address, else the node's InternalIP)")
    String advertiseAddress;

    @Option(names = "--max-requests-inflight", paramLabel = "N", defaultValue = "400", description = "with "
            + "--max-mutating-requests-inflight, the seats API Priority and Fairness shares among its priority levels "
            + "(their sum; upstream's flags) (default: ${DEFAULT-VALUE})")
    int maxRequestsInflight;

    @Option(names = "--max-mutating-requests-inflight", paramLabel = "N", defaultValue = "200",
            description = "see --max-requests-inflight (default: ${DEFAULT-VALUE})")
    int maxMutatingRequestsInflight;

    /**
     * The server's concurrency limit, as upstream derives it when API Priority and Fairness is on: the sum of the two
     * in-flight limits, which must be positive.
     */
    int concurrencyLimit() {
        if (maxRequestsInflight < 0 || maxMutatingRequestsInflight < 0
                || maxRequestsInflight + maxMutatingRequestsInflight <= 0) {
            throw new IllegalArgumentException("--max-requests-inflight (" + maxRequestsInflight
                    + ") and --max-mutating-requests-inflight (" + maxMutatingRequestsInflight
                    + ") must not be negative and must add up to at least 1");
        }
        return maxRequestsInflight + maxMutatingRequestsInflight;
    }

    /** The port, checked: a bad one is refused before anything is opened. */
    int checkedPort() {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + " is not a TCP port (1-65535)");
        }
        return port;
    }

    /**
     * {@code --advertise-address} as given (an IP literal), else the bind address when it is a concrete non-loopback
     * address, else the node's InternalIP: the address the kubelet publishes and the proxy routes pods to.
     */
    String advertised() {
        return advertiseAddress(advertiseAddress, bindAddress);
    }

    static String advertiseAddress(String flag, String bindAddress) {
        if (flag != null && !flag.isBlank()) {
            if (!isIpLiteral(flag.trim())) {
                throw new IllegalArgumentException("--advertise-address " + flag + " is not an IP address");
            }
            java.net.InetAddress a = literal(flag.trim());
            if (a.isAnyLocalAddress()) {
                throw new IllegalArgumentException("--advertise-address " + flag + " is the wildcard address: "
                        + "give the address others reach this server on");
            }
            return a.getHostAddress();
        }
        if (isIpLiteral(bindAddress)) {
            java.net.InetAddress bind = literal(bindAddress);
            if (!bind.isAnyLocalAddress() && !bind.isLoopbackAddress()) {
                return bind.getHostAddress();
            }
        }
        return io.kube4j.kubelet.nodestatus.MachineInfo.internalIp();
    }

    private static boolean isIpLiteral(String s) {
        // an IP literal only: a name would be resolved (DNS) and is not what the flag takes
        return s.matches("[0-9.]+") && s.split("\\.", -1).length == 4 || s.contains(":") && s.matches("[0-9a-fA-F:.]+");
    }

    private static java.net.InetAddress literal(String s) {
        try {
            return java.net.InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(s + " is not an IP address", e);
        }
    }
}

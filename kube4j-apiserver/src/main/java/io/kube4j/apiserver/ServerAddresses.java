package io.kube4j.apiserver;

import java.net.InetSocketAddress;

/**
 * The API server's addresses as clients see them: where other hosts and pods reach it (the advertise address, in
 * cluster-info, discovery and the kubernetes Service's endpoints), where clients on this host reach it (the
 * kubeconfigs written at start), and whether the advertise address needs a listener of its own.
 */
final class ServerAddresses {

    private ServerAddresses() {
    }

    /**
     * Whether the advertise address needs a listener of its own: not when there is none, when the bind address is
     * the wildcard (it covers every address) or is that address already.
     */
    static boolean listensApart(InetSocketAddress bind, String advertiseAddress) {
        if (advertiseAddress == null || bind.getAddress() == null || bind.getAddress().isAnyLocalAddress()) {
            return false;
        }
        try {
            return !java.net.InetAddress.getByName(advertiseAddress).equals(bind.getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("advertise address " + advertiseAddress + " is not an IP address", e);
        }
    }

    /** Whether {@code ip} can be listened on here: loopback (all of 127/8 on Linux) or an interface's address. */
    static boolean isAddressOfThisHost(String ip) {
        try {
            java.net.InetAddress address = java.net.InetAddress.getByName(ip);
            return address.isLoopbackAddress() || java.net.NetworkInterface.getByInetAddress(address) != null;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Where other hosts reach this server, for {@code kube-public/cluster-info}: the advertise address, else the bind
     * address, else (the wildcard and no advertise address) loopback, with the secure port.
     */
    static String advertisedUrl(ApiServerConfig config, int port) {
        return "https://" + hostPort(advertisedHost(config), port);
    }

    /** The advertise address, else {@link #loopbackHost}. */
    static String advertisedHost(ApiServerConfig config) {
        return config.advertiseAddress() != null ? config.advertiseAddress() : loopbackHost(config.bind());
    }

    /**
     * The URL for clients on this host (the kubeconfigs written at start, the in-process components): the bind
     * address, or loopback when that is the wildcard - upstream's LoopbackHostPort. 127.0.0.1 would be refused
     * when the server is bound to one concrete address.
     */
    static String localUrl(ApiServerConfig config, int port) {
        return (config.secure() ? "https" : "http") + "://" + hostPort(loopbackHost(config.bind()), port);
    }

    private static String loopbackHost(InetSocketAddress bind) {
        java.net.InetAddress address = bind.getAddress();
        if (address == null) {
            return bind.getHostString(); // a name that did not resolve: the bind failed on it already
        }
        if (address.isAnyLocalAddress()) {
            return address instanceof java.net.Inet6Address ? "::1" : "127.0.0.1";
        }
        return address.getHostAddress();
    }

    /** {@code host:port}, an IPv6 host in brackets. */
    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

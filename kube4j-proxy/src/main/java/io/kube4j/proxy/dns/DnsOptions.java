package io.kube4j.proxy.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the cluster DNS server.
 *
 * @param bindAddress    the address both the UDP and the TCP listener bind to
 * @param port           the port (53 by default; 0 picks a free one)
 * @param clusterDomain  the zone served from the API, {@code cluster.local}
 * @param upstreams      servers other names are forwarded to; empty: none (every forward fails with SERVFAIL)
 * @param ttlSeconds     TTL of answers from the cluster zone (CoreDNS's kubernetes plugin default: 5)
 * @param forwardTimeout how long to wait for an upstream server
 */
public record DnsOptions(String bindAddress, int port, String clusterDomain, List<InetSocketAddress> upstreams,
                         int ttlSeconds, Duration forwardTimeout) {

    public DnsOptions {
        upstreams = List.copyOf(upstreams);
        clusterDomain = stripDot(clusterDomain.toLowerCase(java.util.Locale.ROOT));
    }

    /** Port 53 on all addresses, forwarding to the resolvers in /etc/resolv.conf. */
    public static DnsOptions defaults() {
        return new DnsOptions("0.0.0.0", 53, "cluster.local", resolvConf(Path.of("/etc/resolv.conf")), 5,
                Duration.ofSeconds(2));
    }

    public DnsOptions withBind(String address, int newPort) {
        return new DnsOptions(address, newPort, clusterDomain, upstreams, ttlSeconds, forwardTimeout);
    }

    public DnsOptions withUpstreams(List<InetSocketAddress> servers) {
        return new DnsOptions(bindAddress, port, clusterDomain, servers, ttlSeconds, forwardTimeout);
    }

    public DnsOptions withClusterDomain(String domain) {
        return new DnsOptions(bindAddress, port, domain, upstreams, ttlSeconds, forwardTimeout);
    }

    public DnsOptions withForwardTimeout(Duration timeout) {
        return new DnsOptions(bindAddress, port, clusterDomain, upstreams, ttlSeconds, timeout);
    }

    /** The {@code nameserver} lines of a resolv.conf file, port 53; an unreadable file gives none. */
    public static List<InetSocketAddress> resolvConf(Path file) {
        List<InetSocketAddress> servers = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length >= 2 && fields[0].equals("nameserver")) {
                    String host = fields[1].contains("%") ? fields[1].substring(0, fields[1].indexOf('%')) : fields[1];
                    servers.add(new InetSocketAddress(host, 53));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return servers;
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}

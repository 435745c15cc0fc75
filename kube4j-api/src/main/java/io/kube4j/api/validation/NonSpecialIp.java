package io.kube4j.api.validation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's ValidateNonSpecialIP, for the addresses of Endpoints and EndpointSlices: an endpoint may not be the
 * unspecified address, loopback (which would point a client at itself), or link-local unicast or multicast (which
 * tend to be node-centric, such as a cloud's metadata service).
 */
public final class NonSpecialIp {

    private NonSpecialIp() {
    }

    /** Why {@code ip} may not be an endpoint, in upstream's words; empty when it may. */
    public static List<String> problems(String ip) {
        List<String> problems = new ArrayList<>(1);
        InetAddress address = literal(ip);
        if (address == null) {
            problems.add("must be a valid IP address");
            return problems;
        }
        // an IPv4-mapped IPv6 literal (::ffff:127.0.0.1) comes back as its IPv4 address, as Go's checks read it
        if (address.isAnyLocalAddress()) {
            problems.add("may not be unspecified (" + ip + ")");
        }
        if (address.isLoopbackAddress()) {
            problems.add("may not be in the loopback range (127.0.0.0/8, ::1/128)");
        }
        if (address.isLinkLocalAddress()) {
            problems.add("may not be in the link-local range (169.254.0.0/16, fe80::/10)");
        }
        if (address.isMCLinkLocal()) {
            problems.add("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
        }
        return problems;
    }

    /** The address of an IP literal; null for anything else (never a name lookup). */
    private static InetAddress literal(String ip) {
        if (!IpSyntax.isIp(ip)) {
            return null;
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}

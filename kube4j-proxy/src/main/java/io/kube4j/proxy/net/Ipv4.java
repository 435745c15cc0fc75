package io.kube4j.proxy.net;

/** IPv4 addresses as unsigned 32-bit numbers, and CIDR membership. */
public final class Ipv4 {

    private Ipv4() {
    }

    /** The address as a number; IllegalArgumentException when it is not a dotted IPv4 address. */
    public static long toLong(String ip) {
        String[] octets = ip.split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        long value = 0;
        for (String octet : octets) {
            int o;
            try {
                o = Integer.parseInt(octet);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            if (o < 0 || o > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            value = value << 8 | o;
        }
        return value;
    }

    public static String toString(long ip) {
        return (ip >> 24 & 255) + "." + (ip >> 16 & 255) + "." + (ip >> 8 & 255) + "." + (ip & 255);
    }

    /** Whether {@code text} is an IPv4 CIDR such as {@code 10.42.1.0/24}. */
    public static boolean isCidr(String text) {
        if (text == null) {
            return false;
        }
        String[] parts = text.split("/", -1);
        if (parts.length != 2) {
            return false;
        }
        try {
            toLong(parts[0]);
            int bits = Integer.parseInt(parts[1]);
            return bits >= 0 && bits <= 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code ip} lies in {@code cidr}. */
    public static boolean contains(String cidr, String ip) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (toLong(parts[0]) & mask) == (toLong(ip) & mask);
    }
}

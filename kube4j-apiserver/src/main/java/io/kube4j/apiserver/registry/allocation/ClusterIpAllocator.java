package io.kube4j.apiserver.registry.allocation;

import io.kube4j.store.Store;

/**
 * Service ClusterIPs from an IPv4 CIDR (default 10.43.0.0/16, {@code --service-cidr}); the network and broadcast
 * addresses are never given.
 */
public final class ClusterIpAllocator {

    private final String cidr;
    private final long network;
    private final long size;
    private final StoreBitmapAllocator slots;

    public ClusterIpAllocator(Store store, String cidr) {
        int bits = checkCidr(cidr);
        this.cidr = cidr;
        this.network = toLong(cidr.substring(0, cidr.indexOf('/'))) & (0xFFFFFFFFL << (32 - bits));
        this.size = 1L << (32 - bits);
        this.slots = new StoreBitmapAllocator(store, "/registry/allocations/serviceips/", 1, size - 2,
                StoreBitmapAllocator.staticBand(size, 16, 16, 256), "IP");
    }

    /**
     * Checks a service CIDR flag and returns its prefix length: an IPv4 CIDR of /12 (upstream's widest, 20 bits) to
     * /29 (six addresses).
     */
    public static int checkCidr(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        String problem = null;
        int bits = -1;
        if (slash < 0) {
            problem = "is not an IPv4 CIDR such as 10.43.0.0/16";
        } else {
            try {
                toLong(cidr.substring(0, slash));
                bits = Integer.parseInt(cidr.substring(slash + 1));
            } catch (IllegalArgumentException e) {
                problem = "is not an IPv4 CIDR such as 10.43.0.0/16";
            }
            if (problem == null && (bits < 12 || bits > 29)) {
                problem = "must have a prefix of /12 to /29";
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("the service CIDR " + cidr + " " + problem);
        }
        return bits;
    }

    /** The range, as configured. */
    public String cidr() {
        return cidr;
    }

    /** The first address of the range: the {@code kubernetes} service's. */
    public String first() {
        return toString(network + 1);
    }

    public String allocate(boolean dryRun) {
        return toString(network + slots.allocate(dryRun));
    }

    public void claim(String ip, boolean dryRun) {
        long value = toLong(ip);
        if (value - network <= 0 || value - network >= size - 1) {
            throw new IllegalArgumentException("the provided IP (" + ip + ") is not in the valid range. The range"
                    + " of valid IPs is " + cidr);
        }
        slots.claim(value - network, dryRun);
    }

    public void release(String ip) {
        try {
            long offset = toLong(ip) - network;
            if (offset > 0 && offset < size - 1) {
                slots.release(offset);
            }
        } catch (IllegalArgumentException notAnIp) {
            // nothing was allocated for it
        }
    }

    private static long toLong(String ip) {
        String[] octets = ip.split("\\.");
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

    private static String toString(long ip) {
        return (ip >> 24 & 255) + "." + (ip >> 16 & 255) + "." + (ip >> 8 & 255) + "." + (ip & 255);
    }
}

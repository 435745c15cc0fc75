package io.kube4j.controllers.nodeipam;

import java.util.BitSet;

/** The /N subnets of an IPv4 cluster CIDR, as upstream's cidrset: allocate the next free, occupy, release. */
public final class CidrSet {
    private final int base;
    private final int clusterPrefix;
    private final int subnetPrefix;
    private final int count;
    private final BitSet used = new BitSet();
    private int next;

    public CidrSet(String clusterCidr, int subnetPrefix) {
        String[] parts = clusterCidr.trim().split("/");
        this.clusterPrefix = Integer.parseInt(parts[1]);
        if (subnetPrefix < clusterPrefix || subnetPrefix > 32) {
            throw new IllegalArgumentException("node CIDR mask /" + subnetPrefix + " does not fit in " + clusterCidr);
        }
        int mask = clusterPrefix == 0 ? 0 : -1 << (32 - clusterPrefix);
        this.base = parseIp(parts[0]) & mask;
        this.subnetPrefix = subnetPrefix;
        this.count = 1 << Math.min(30, subnetPrefix - clusterPrefix);
    }

    static int parseIp(String ip) {
        String[] o = ip.split("\\.");
        if (o.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        int v = 0;
        for (String s : o) {
            v = (v << 8) | Integer.parseInt(s);
        }
        return v;
    }

    static String formatIp(int v) {
        return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    private String cidr(int index) {
        return formatIp(base + (index << (32 - subnetPrefix))) + "/" + subnetPrefix;
    }

    private int indexOf(String cidr) {
        String[] parts = cidr.trim().split("/");
        if (parts.length != 2 || Integer.parseInt(parts[1]) != subnetPrefix) {
            return -1;
        }
        long offset = Integer.toUnsignedLong(parseIp(parts[0])) - Integer.toUnsignedLong(base);
        if (offset < 0 || offset % (1L << (32 - subnetPrefix)) != 0) {
            return -1;
        }
        long index = offset >> (32 - subnetPrefix);
        return index < count ? (int) index : -1;
    }

    /** The next free subnet, or null when the cluster CIDR is exhausted. */
    public synchronized String allocateNext() {
        for (int i = 0; i < count; i++) {
            int candidate = (next + i) % count;
            if (!used.get(candidate)) {
                used.set(candidate);
                next = (candidate + 1) % count;
                return cidr(candidate);
            }
        }
        return null;
    }

    /** Marks a subnet used; false when it lies outside the cluster CIDR. */
    public synchronized boolean occupy(String cidr) {
        int i = indexOf(cidr);
        if (i < 0) {
            return false;
        }
        used.set(i);
        return true;
    }

    public synchronized void release(String cidr) {
        int i = indexOf(cidr);
        if (i >= 0) {
            used.clear(i);
        }
    }

    public synchronized boolean isUsed(String cidr) {
        int i = indexOf(cidr);
        return i >= 0 && used.get(i);
    }
}

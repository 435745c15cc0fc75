package io.kube4j.proxy.model;

import java.util.Locale;

/** Transport protocols a Service port may use, with their nftables spelling. */
public enum Protocol {
    TCP, UDP, SCTP;

    /** The protocol as nft writes it ({@code tcp}, {@code udp}, {@code sctp}). */
    public String nft() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a Kubernetes protocol name; an absent protocol means TCP, as the API defaults it. */
    public static Protocol parse(String value) {
        if (value == null || value.isEmpty()) {
            return TCP;
        }
        return Protocol.valueOf(value.toUpperCase(Locale.ROOT));
    }
}

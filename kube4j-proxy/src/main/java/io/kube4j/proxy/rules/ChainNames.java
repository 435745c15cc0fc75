package io.kube4j.proxy.rules;

import io.kube4j.proxy.model.Endpoint;
import io.kube4j.proxy.model.ServicePortName;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Names of per-service chains and sets. As upstream, a short hash keeps names unique and the readable
 * suffix ({@code ns/name/proto/port}) makes {@code nft list} output understandable.
 */
public final class ChainNames {

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private ChainNames() {
    }

    public static String service(ServicePortName spn) {
        return "service-" + base(spn);
    }

    public static String external(ServicePortName spn) {
        return "external-" + base(spn);
    }

    public static String local(ServicePortName spn) {
        return "local-" + base(spn);
    }

    /** The named map of endpoints that the load-balancing rule of {@code chain} (a service or local chain) uses. */
    public static String endpointMap(String chain) {
        return chain + "-endpoints";
    }

    public static String endpoint(ServicePortName spn, Endpoint ep) {
        return "endpoint-" + endpointBase(spn, ep);
    }

    public static String affinity(ServicePortName spn, Endpoint ep) {
        return "affinity-" + endpointBase(spn, ep);
    }

    private static String base(ServicePortName spn) {
        return hash(spn.display()) + "-" + spn.display();
    }

    private static String endpointBase(ServicePortName spn, Endpoint ep) {
        return hash(spn.display() + "|" + ep.ipPort()) + "-" + spn.display() + "__" + ep.ip() + "/" + ep.port();
    }

    /** Eight base32 characters of the SHA-256 of {@code text}. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 5; i++) {
                bits = (bits << 8) | (digest[i] & 0xff);
            }
            char[] out = new char[8];
            for (int i = 7; i >= 0; i--) {
                out[i] = BASE32[(int) (bits & 31)];
                bits >>>= 5;
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

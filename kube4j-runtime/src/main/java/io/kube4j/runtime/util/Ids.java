package io.kube4j.runtime.util;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Sandbox and container IDs: 64 lowercase hex digits, as containerd and CRI-O use. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static boolean looksLikeId(String value) {
        return value != null && value.matches("[0-9a-f]{1,64}");
    }
}

package io.kube4j.cli.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A join token as {@code kube4j token create} prints it: {@code K10<sha256 hex of the CA PEM>::<id>.<secret>}. The
 * hash lets an agent trust the CA it downloads without trusting the network; the bootstrap token
 * ({@code <id>.<secret>}) then authenticates it as {@code system:bootstrap:<id>}.
 */
public record JoinToken(String caHash, String bootstrapToken) {

    private static final Pattern FORMAT = Pattern.compile("K10([0-9a-f]{64})::([a-z0-9]{6}\\.[a-z0-9]{16})");

    public static JoinToken parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--token is not a join token K10<ca-hash>::<id>.<secret> "
                    + "(run kube4j token create on the server to get one)");
        }
        return new JoinToken(m.group(1), m.group(2));
    }

    public String tokenId() {
        return bootstrapToken.substring(0, bootstrapToken.indexOf('.'));
    }

    /** Whether {@code caPem} is the CA this token was made for. */
    public boolean matches(String caPem) {
        return caHash.equals(sha256(caPem));
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

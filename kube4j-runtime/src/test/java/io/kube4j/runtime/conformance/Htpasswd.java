package io.kube4j.runtime.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * A bcrypt htpasswd file, the only kind distribution accepts. apache2-utils (htpasswd) is not
 * installed; perl's crypt() is glibc's libxcrypt, which makes bcrypt ($2b$) hashes.
 */
public final class Htpasswd {
    private static final String ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private Htpasswd() {
    }

    /** Writes "user:hash" to {@code file}, or returns null when this machine cannot make bcrypt hashes. */
    public static Path write(Path file, String user, String password) throws IOException, InterruptedException {
        SecureRandom random = new SecureRandom();
        StringBuilder salt = new StringBuilder("$2b$05$");
        for (int i = 0; i < 21; i++) {
            salt.append(ALPHABET.charAt(random.nextInt(64)));
        }
        // The 22nd character carries only two significant bits.
        salt.append(".Oeu".charAt(random.nextInt(4)));
        Process perl = new ProcessBuilder("perl", "-e", "print crypt($ARGV[0], $ARGV[1])", password, salt.toString())
                .redirectErrorStream(true).start();
        String hash = new String(perl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (perl.waitFor() != 0 || !hash.startsWith("$2b$05$") || hash.length() != 60) {
            return null;
        }
        Files.writeString(file, user + ":" + hash + "\n");
        return file;
    }
}

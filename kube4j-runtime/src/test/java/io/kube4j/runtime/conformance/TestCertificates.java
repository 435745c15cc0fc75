package io.kube4j.runtime.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Test CAs and certificates made with openssl (BouncyCastle is not on this module's class path). */
public final class TestCertificates {
    /** PEM files of a certificate and its unencrypted PKCS#8 key. */
    public record Pair(Path cert, Path key) {
        public PrivateKey privateKey() throws Exception {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pemBody(key)));
        }

        /** The certificate in DER, as a JWT's x5c header carries it. */
        public byte[] certDer() throws IOException {
            return pemBody(cert);
        }
    }

    private TestCertificates() {
    }

    /** A self-signed CA certificate. */
    public static Pair ca(Path dir, String name) throws IOException, InterruptedException {
        Pair ca = new Pair(dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"));
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-keyout", ca.key().toString(), "-out", ca.cert().toString(),
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature");
        return ca;
    }

    /** A server certificate for 127.0.0.1 and localhost, signed by {@code ca}. */
    public static Pair server(Path dir, String name, Pair ca) throws IOException, InterruptedException {
        return signed(dir, name, "127.0.0.1", ca, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    }

    /** A client certificate for TLS client authentication, signed by {@code ca}. */
    public static Pair client(Path dir, String name, Pair ca) throws IOException, InterruptedException {
        return signed(dir, name, name, ca, "extendedKeyUsage=clientAuth\n");
    }

    private static Pair signed(Path dir, String name, String commonName, Pair ca, String extensions) throws IOException, InterruptedException {
        Pair server = new Pair(dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"));
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, extensions + "keyUsage=critical,digitalSignature,keyEncipherment\n");
        openssl(dir, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName,
                "-keyout", server.key().toString(), "-out", csr.toString());
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
                "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out", server.cert().toString());
        return server;
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }

    static byte[] pemBody(Path pem) throws IOException {
        String text = Files.readString(pem);
        int begin = text.indexOf("-----BEGIN");
        int start = text.indexOf('\n', begin) + 1;
        int end = text.indexOf("-----END", start);
        return Base64.getMimeDecoder().decode(text.substring(start, end));
    }
}

package io.kube4j.cli;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.apiserver.authn.BootstrapTokens;
import io.kube4j.apiserver.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code kube4j token create}: a bootstrap token for joining agents, stored as a
 * {@code bootstrap.kubernetes.io/token} Secret in kube-system (as {@code kubeadm token create} does). It prints the
 * join token k3s-style, {@code K10<ca-hash>::<id>.<secret>}, where {@code <ca-hash>} is the SHA-256 (hex) of the
 * cluster CA certificate in PEM ({@code sha256sum DATA/tls/ca.crt}): an agent checks the server it reaches against
 * it before trusting anything. {@code --short} prints only {@code <id>.<secret>}.
 */
@Command(name = "token", description = "Manage bootstrap tokens for joining agents.", mixinStandardHelpOptions = true,
        subcommands = TokenCommand.Create.class)
final class TokenCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "create", description = "Create a bootstrap token and print it.", mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {

        @Option(names = "--data-dir", paramLabel = "DIR", description = "the server's data directory (uses DIR/admin.kubeconfig)")
        Path dataDir;

        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "an admin kubeconfig (instead of --data-dir)")
        Path kubeconfig;

        @Option(names = "--ttl", defaultValue = "24h", paramLabel = "DURATION",
                description = "how long the token authenticates: 30m, 24h, 7d; 0 never expires (default: ${DEFAULT-VALUE})")
        String ttl;

        @Option(names = "--description", paramLabel = "TEXT", description = "a note stored with the token")
        String description;

        @Option(names = "--short", description = "print only <id>.<secret>, not the K10 join token")
        boolean shortForm;

        @Override
        public Integer call() throws Exception {
            Duration validity = parseTtl(ttl);
            Path config = kubeconfig != null ? kubeconfig : dataDir != null ? dataDir.resolve("admin.kubeconfig") : null;
            if (config == null) {
                throw new IllegalArgumentException("needs --data-dir DIR or --kubeconfig FILE (an admin kubeconfig)");
            }
            String token = BootstrapTokens.generate();
            String json = new String(Json.bytes(BootstrapTokens.secret(token, Instant.now(), validity, description)),
                    StandardCharsets.UTF_8);
            try (KubernetesClient client = ClusterClients.fromKubeconfig(config, ClusterClients.CLI)) {
                Secret secret = client.getKubernetesSerialization().unmarshal(json, Secret.class);
                client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret).create();
                String ca = client.getConfiguration().getCaCertData();
                System.out.println(shortForm || ca == null ? token : joinToken(ca, token));
            }
            return 0;
        }
    }

    /** {@code K10<sha256 of the CA PEM>::<token>}; {@code caData} is the kubeconfig's base64 CA. */
    static String joinToken(String caData, String token) {
        try {
            byte[] pem = Base64.getDecoder().decode(caData.trim());
            return "K10" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pem)) + "::" + token;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Duration parseTtl(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        if (value.length() >= 2) {
            char unit = value.charAt(value.length() - 1);
            try {
                long amount = Long.parseLong(value.substring(0, value.length() - 1));
                if (amount > 0) {
                    switch (unit) {
                        case 's' -> { return Duration.ofSeconds(amount); }
                        case 'm' -> { return Duration.ofMinutes(amount); }
                        case 'h' -> { return Duration.ofHours(amount); }
                        case 'd' -> { return Duration.ofDays(amount); }
                        default -> { }
                    }
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new IllegalArgumentException("--ttl " + text + " is not a duration such as 30m, 24h or 7d (0: never expires)");
    }
}

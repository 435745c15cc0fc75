package io.kube4j.apiserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes the admin kubeconfig kubectl uses as is: one cluster, user and context, all named {@code default}. */
public final class Kubeconfig {

    public static final String FILE_NAME = "admin.kubeconfig";

    private Kubeconfig() {
    }

    public static Path write(Path dir, String serverUrl) throws IOException {
        Files.createDirectories(dir);
        String text = """
                apiVersion: v1
                kind: Config
                clusters:
                - cluster:
                    server: %s
                  name: default
                contexts:
                - context:
                    cluster: default
                    user: default
                    namespace: default
                  name: default
                current-context: default
                preferences: {}
                users:
                - name: default
                  user: {}
                """.formatted(serverUrl);
        Path target = dir.resolve(FILE_NAME);
        Path tmp = Files.createTempFile(dir, FILE_NAME, ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // the file stays with default permissions
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}

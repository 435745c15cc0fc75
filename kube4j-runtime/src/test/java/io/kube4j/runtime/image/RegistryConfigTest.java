package io.kube4j.runtime.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryConfigTest {
    @TempDir
    Path dir;

    private RegistryConfig load(String yaml) throws IOException {
        Path file = dir.resolve("registries.yaml");
        Files.writeString(file, yaml);
        return RegistryConfig.load(file);
    }

    private static List<String> urls(List<RegistryConfig.Endpoint> endpoints) {
        return endpoints.stream().map(RegistryConfig.Endpoint::baseUrl).toList();
    }

    @Test
    void mirrorsComeFirstInOrderThenTheRegistryItself() throws IOException {
        RegistryConfig config = load("mirrors:\n  docker.io:\n    endpoint: [\"http://10.0.0.1:5000/v2/\", \"https://mirror.example.com\"]\n");

        assertThat(urls(config.endpoints("docker.io")))
                .containsExactly("http://10.0.0.1:5000", "https://mirror.example.com", "https://registry-1.docker.io");
        assertThat(urls(config.endpoints("quay.io"))).containsExactly("https://quay.io");
    }

    @Test
    void aLoopbackRegistryOrMirrorWithoutSchemeMayAlsoSpeakPlainHttp() throws IOException {
        RegistryConfig config = load("mirrors:\n  docker.io:\n    endpoint: [\"127.0.0.1:5000\", \"mirror.example.com\"]\n");

        assertThat(urls(config.endpoints("docker.io"))).containsExactly("https://127.0.0.1:5000", "http://127.0.0.1:5000",
                "https://mirror.example.com", "https://registry-1.docker.io");
        assertThat(urls(config.endpoints("localhost:5001"))).containsExactly("https://localhost:5001", "http://localhost:5001");
    }

    @Test
    void theWildcardMirrorServesRegistriesWithoutTheirOwnEntry() throws IOException {
        RegistryConfig config = load("mirrors:\n  \"*\":\n    endpoint: [\"https://all.example.com\"]\n"
                + "  quay.io:\n    endpoint: [\"https://quay-mirror.example.com\"]\n");

        assertThat(urls(config.endpoints("ghcr.io"))).containsExactly("https://all.example.com", "https://ghcr.io");
        assertThat(urls(config.endpoints("quay.io"))).containsExactly("https://quay-mirror.example.com", "https://quay.io");
    }

    @Test
    void credentialsAndTlsAreFoundByTheEndpointsHost() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not parsed until the first pull");
        RegistryConfig config = load("mirrors:\n  docker.io:\n    endpoint: [\"https://mirror.example.com:8443\"]\n"
                + "configs:\n  \"mirror.example.com:8443\":\n    auth: {username: u, password: p}\n    tls: {ca_file: " + ca + "}\n"
                + "  \"registry-1.docker.io\":\n    auth: {auth: " + java.util.Base64.getEncoder().encodeToString("hub:pa:ss".getBytes()) + "}\n"
                + "    tls: {insecure_skip_verify: true}\n");

        List<RegistryConfig.Endpoint> endpoints = config.endpoints("docker.io");
        assertThat(endpoints.get(0).username()).isEqualTo("u");
        assertThat(endpoints.get(0).password()).isEqualTo("p");
        assertThat(endpoints.get(0).tls()).isEqualTo(new RegistryConfig.Tls(ca, null, null, false));
        assertThat(endpoints.get(1).username()).isEqualTo("hub");
        assertThat(endpoints.get(1).password()).isEqualTo("pa:ss");
        assertThat(endpoints.get(1).tls().insecureSkipVerify()).isTrue();
    }

    @Test
    void rewritesApplyToMirrorsOnlyAndTheFirstMatchWins() throws IOException {
        RegistryConfig config = load("mirrors:\n  docker.io:\n    endpoint: [\"https://mirror.example.com\"]\n"
                + "    rewrite:\n      \"^library/(.*)\": \"official/$1\"\n      \"^(.*)$\": \"all/$1\"\n");

        List<RegistryConfig.Endpoint> endpoints = config.endpoints("docker.io");
        assertThat(endpoints.get(0).repositoryPath("library/busybox")).isEqualTo("official/busybox");
        assertThat(endpoints.get(0).repositoryPath("bitnami/nginx")).isEqualTo("all/bitnami/nginx");
        assertThat(endpoints.get(1).repositoryPath("library/busybox")).isEqualTo("library/busybox");
    }

    @Test
    void badRewritesAndMissingCaFilesAreReportedWhenTheFileIsLoaded() {
        assertThatThrownBy(() -> load("mirrors:\n  docker.io:\n    rewrite:\n      \"^(library\": \"x\"\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mirrors.\"docker.io\".rewrite \"^(library\" is not a valid regular expression");
        assertThatThrownBy(() -> load("configs:\n  \"r.example.com\":\n    tls: {ca_file: /no/such/ca.pem}\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("configs.\"r.example.com\".tls.ca_file /no/such/ca.pem is not a readable file");
    }

    @Test
    void anEmptyOrAbsentFileMeansNoMirrors() throws IOException {
        assertThat(urls(load("").endpoints("docker.io"))).containsExactly("https://registry-1.docker.io");
        assertThat(urls(RegistryConfig.load(dir.resolve("absent.yaml")).endpoints("docker.io")))
                .containsExactly("https://registry-1.docker.io");
    }
}

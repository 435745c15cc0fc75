package io.kube4j.kubelet.credentialprovider;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kube4j.cri.v1.AuthConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DockerKeyringTest {

    static Secret secret(String type, String key, String json) {
        return new SecretBuilder().withNewMetadata().withName("s").endMetadata().withType(type)
                .addToData(key, b64(json)).build();
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dockerConfigJsonMatchesByHostAndDecodesAuth() {
        DockerKeyring keyring = DockerKeyring.of(List.of(secret("kubernetes.io/dockerconfigjson", ".dockerconfigjson",
                "{\"auths\":{\"registry.example:5000\":{\"auth\":\"" + b64("alice:s3cret") + "\"},"
                        + "\"https://index.docker.io/v1/\":{\"username\":\"bob\",\"password\":\"pw\"}}}")));
        List<AuthConfig> own = keyring.lookup("registry.example:5000/team/app:1.0");
        assertThat(own).extracting(AuthConfig::getUsername, AuthConfig::getPassword)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", "s3cret"));
        assertThat(own.get(0).getServerAddress()).isEqualTo("registry.example:5000");
        assertThat(keyring.lookup("busybox")).extracting(AuthConfig::getUsername).containsExactly("bob");
        assertThat(keyring.lookup("docker.io/library/busybox@sha256:abc")).extracting(AuthConfig::getUsername)
                .containsExactly("bob");
        assertThat(keyring.lookup("other.example/app")).isEmpty();
        // a host that merely starts with the same text is another registry
        assertThat(keyring.lookup("registry.example:50001/app")).isEmpty();
    }

    @Test
    void legacyDockercfgAndPathPrefixesMostSpecificFirst() {
        DockerKeyring keyring = DockerKeyring.of(List.of(
                secret("kubernetes.io/dockercfg", ".dockercfg",
                        "{\"reg.example\":{\"username\":\"all\",\"password\":\"1\"}}"),
                secret("kubernetes.io/dockerconfigjson", ".dockerconfigjson",
                        "{\"auths\":{\"reg.example/team\":{\"username\":\"team\",\"password\":\"2\"}}}")));
        assertThat(keyring.lookup("reg.example/team/app")).extracting(AuthConfig::getUsername)
                .containsExactly("team", "all");
        assertThat(keyring.lookup("reg.example/other/app")).extracting(AuthConfig::getUsername).containsExactly("all");
    }

    @Test
    void unreadableOrForeignSecretsAddNothing() {
        DockerKeyring keyring = DockerKeyring.of(List.of(
                secret("kubernetes.io/dockerconfigjson", ".dockerconfigjson", "{not json"),
                secret("Opaque", ".dockerconfigjson", "{\"auths\":{\"reg.example\":{\"username\":\"x\"}}}"),
                new SecretBuilder().withNewMetadata().withName("empty").endMetadata()
                        .withType("kubernetes.io/dockerconfigjson").build()));
        assertThat(keyring.lookup("reg.example/app")).isEmpty();
    }
}

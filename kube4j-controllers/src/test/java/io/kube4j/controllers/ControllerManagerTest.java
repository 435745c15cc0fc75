package io.kube4j.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ControllerManagerTest {
    static KubernetesClient client;

    @Test
    void everyControllerStartsOnOneSetOfInformers() throws Exception {
        // the csrsigning controller runs only with a signing CA
        java.security.KeyPairGenerator keys = java.security.KeyPairGenerator.getInstance("EC");
        keys.initialize(256);
        io.kube4j.apiserver.pki.CertifiedKey ca = io.kube4j.apiserver.pki.CertificateAuthority.selfSigned("test-ca",
                keys.generateKeyPair(), java.time.Instant.now(), Duration.ofDays(1));
        try (ControllerManager m = ControllerManager.start(client, new ControllerManagerOptions().leaderElect(false)
                .rootCaPem("-----BEGIN CERTIFICATE-----\n")
                .clusterSigning(io.kube4j.apiserver.pki.Pem.certificate(ca.certificate()),
                        io.kube4j.apiserver.pki.Pem.privateKey(ca.key())))) {
            assertThat(m.awaitRunning(Duration.ofSeconds(60))).isTrue();
            assertThat(m.runningControllers()).hasSize(Controllers.names().size())
                    .contains("replicaset-controller", "deployment-controller", "garbage-collector-controller",
                            "namespace-controller", "job-controller", "cronjob-controller", "endpointslice-controller",
                            "node-lifecycle-controller", "statefulset-controller", "daemonset-controller");
        }
    }

    @Test
    void controllersFlagEnablesAndDisablesByName() {
        ControllerManagerOptions o = new ControllerManagerOptions().controllers(Set.of("*", "-podgc"));
        assertThat(o.isEnabled("deployment")).isTrue();
        assertThat(o.isEnabled("podgc")).isFalse();
        ControllerManagerOptions only = new ControllerManagerOptions().controllers(Set.of("job"));
        assertThat(only.isEnabled("job")).isTrue();
        assertThat(only.isEnabled("deployment")).isFalse();
    }

    @Test
    void anUnknownControllerNameIsRefusedAsUpstreamRefusesIt() {
        ControllerManagerOptions o = new ControllerManagerOptions();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> o.controllers(Set.of("*", "serviceaccount-controller")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"serviceaccount-controller\" is not in the list of known controllers");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> o.controllers(Set.of("-podgcc")))
                .hasMessage("\"podgcc\" is not in the list of known controllers");
        assertThat(o.controllers(Set.of("serviceaccount", "-podgc")).isEnabled("serviceaccount")).isTrue();
    }
}

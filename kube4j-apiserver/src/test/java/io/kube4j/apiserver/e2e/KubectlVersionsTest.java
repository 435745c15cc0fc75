package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.Nested;

import java.nio.file.Path;

/** The same kubectl suite with the oldest and newest kubectl the machine has, and one in between. */
class KubectlVersionsTest {

    static Path kubectl(String version) {
        return Path.of("/usr/lib/google-cloud-sdk/bin/kubectl." + version);
    }

    @Nested
    class Kubectl127 extends KubectlSuite {
        @Override
        Path binary() {
            return kubectl("1.27");
        }
    }

    @Nested
    class Kubectl130 extends KubectlSuite {
        @Override
        Path binary() {
            return kubectl("1.30");
        }
    }

    @Nested
    class Kubectl133 extends KubectlSuite {
        @Override
        Path binary() {
            return kubectl("1.33");
        }
    }
}

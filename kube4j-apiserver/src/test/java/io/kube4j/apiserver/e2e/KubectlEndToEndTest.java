package io.kube4j.apiserver.e2e;

import java.nio.file.Path;

/** The kubectl suite with {@code /usr/bin/kubectl}, the dispatcher that picks kubectl 1.32 for our /version. */
class KubectlEndToEndTest extends KubectlSuite {
    @Override
    Path binary() {
        return Path.of("/usr/bin/kubectl");
    }
}

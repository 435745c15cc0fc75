package io.kube4j.controllers.namespace;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Informers;
import java.time.Duration;
import java.util.concurrent.Executors;

final class TestContexts {
    private TestContexts() {
    }

    static ControllerContext context(KubernetesClient client) {
        return new ControllerContext(client, new Informers(client.informers(), Duration.ZERO), c -> EventRecorder.NOOP,
                new ControllerManagerOptions(), Executors.newCachedThreadPool());
    }
}

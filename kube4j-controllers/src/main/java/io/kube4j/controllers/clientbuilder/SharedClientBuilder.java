package io.kube4j.controllers.clientbuilder;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Every controller on the controller manager's own client: for an API server without authentication (in-process
 * embedding), where service-account tokens do not exist, or when {@code --use-service-account-credentials=false}.
 */
public final class SharedClientBuilder implements ControllerClientBuilder {

    private final KubernetesClient client;
    private final String identity;

    public SharedClientBuilder(KubernetesClient client, String identity) {
        this.client = client;
        this.identity = identity;
    }

    @Override
    public KubernetesClient clientFor(String serviceAccount) {
        return client;
    }

    @Override
    public String identityOf(String serviceAccount) {
        return identity;
    }

    @Override
    public void close() {
        // the manager's own client is the manager's to close
    }
}

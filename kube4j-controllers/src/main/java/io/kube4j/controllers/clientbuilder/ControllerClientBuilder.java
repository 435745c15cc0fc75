package io.kube4j.controllers.clientbuilder;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Gives each controller the API client it acts through, as upstream's ControllerClientBuilder: either the
 * controller manager's own client for all (no authentication to speak of), or one client per controller service
 * account. Closing it closes the clients it built, never the manager's own.
 */
public interface ControllerClientBuilder extends AutoCloseable {

    /** The client for the controller that runs as {@code kube-system/<serviceAccount>}. */
    KubernetesClient clientFor(String serviceAccount);

    /** Who the client of {@code serviceAccount} acts as, for logs: a user name. */
    String identityOf(String serviceAccount);

    @Override
    void close();
}

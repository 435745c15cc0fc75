package io.kube4j.controllers.clientbuilder;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;

/**
 * Gives each controller the API client it acts through, as upstream's ControllerClientBuilder: either the
 * controller manager's own client for all (no authentication to speak of), or one client per controller service
 * account. Closing it closes the clients it built, never the manager's own.
 */
public interface ControllerClientBuilder extends AutoCloseable {

    /** The client for the controller that runs as {@code kube-system/<serviceAccount>}. */
    KubernetesClient clientFor(String serviceAccount);

    /**
     * Readies at once what the clients of {@code serviceAccounts} need (their service accounts), so that the
     * {@link #clientFor} calls that follow do not each wait on the API server; nothing to do by default.
     */
    default void prepare(Collection<String> serviceAccounts) {
    }

    /** Who the client of {@code serviceAccount} acts as, for logs: a user name. */
    String identityOf(String serviceAccount);

    @Override
    void close();
}

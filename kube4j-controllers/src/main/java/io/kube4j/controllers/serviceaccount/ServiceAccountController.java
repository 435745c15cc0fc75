package io.kube4j.controllers.serviceaccount;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;

/** Ensures every active namespace has a {@code default} ServiceAccount, recreating it if deleted. Keys are namespace names. */
public final class ServiceAccountController extends Controller {
    public static final String DEFAULT = "default";

    private final KubernetesClient client;
    private final Informers informers;

    public ServiceAccountController(ControllerContext ctx) {
        super("serviceaccount-controller", 1);
        this.client = ctx.client();
        this.informers = ctx.informers();
        informers.of(Namespace.class).addEventHandler(Handlers.of(this::enqueue, (o, n) -> enqueue(n), ns -> { }));
        informers.of(ServiceAccount.class).addEventHandler(Handlers.of(sa -> { }, (o, n) -> { }, sa -> {
            if (DEFAULT.equals(sa.getMetadata().getName())) {
                enqueue(sa.getMetadata().getNamespace());
            }
        }));
    }

    @Override
    public void sync(String namespace) {
        Namespace ns = informers.get(Namespace.class, namespace);
        if (ns == null || ns.getMetadata().getDeletionTimestamp() != null
                || ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase())) {
            return;
        }
        if (informers.get(ServiceAccount.class, Keys.of(namespace, DEFAULT)) != null) {
            return;
        }
        try {
            client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName(DEFAULT).withNamespace(namespace).endMetadata().build()).create();
        } catch (KubernetesClientException e) {
            // 409: it exists and the cache lags; 403/404: the namespace is terminating or gone.
            if (e.getCode() != 409 && e.getCode() != 403 && e.getCode() != 404) {
                throw e;
            }
        }
    }
}

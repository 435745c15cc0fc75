package io.kube4j.controllers.rootcacertpublisher;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes the cluster CA bundle as the {@code kube-root-ca.crt} ConfigMap in every namespace,
 * where projected service account volumes read it. Keys are namespace names.
 */
public final class RootCaCertPublisher extends Controller {
    public static final String NAME = "kube-root-ca.crt";
    public static final String DATA_KEY = "ca.crt";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using "
            + "internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
            + "guaranteed across distributions of Kubernetes clusters.";

    private final KubernetesClient client;
    private final Informers informers;
    private final String caPem;

    public RootCaCertPublisher(ControllerContext ctx, String caPem) {
        super("root-ca-cert-publisher", 1);
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.caPem = caPem;
        informers.of(Namespace.class).addEventHandler(Handlers.of(this::enqueue, (o, n) -> enqueue(n), ns -> { }));
        informers.of(ConfigMap.class).addEventHandler(Handlers.any(cm -> {
            if (NAME.equals(cm.getMetadata().getName())) {
                enqueue(cm.getMetadata().getNamespace());
            }
        }));
    }

    /** Disabled when the manager was given no CA. */
    public static RootCaCertPublisher create(ControllerContext ctx) {
        String pem = ctx.options().rootCaPem();
        return pem == null || pem.isEmpty() ? null : new RootCaCertPublisher(ctx, pem);
    }

    @Override
    public void sync(String namespace) {
        Namespace ns = informers.get(Namespace.class, namespace);
        if (ns == null || ns.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        ConfigMap cm = informers.get(ConfigMap.class, Keys.of(namespace, NAME));
        try {
            if (cm == null) {
                client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                        .withName(NAME).withNamespace(namespace)
                        .withAnnotations(Map.of("kubernetes.io/description", DESCRIPTION)).endMetadata()
                        .withData(Map.of(DATA_KEY, caPem)).build()).create();
                return;
            }
            if (cm.getData() != null && Objects.equals(cm.getData().get(DATA_KEY), caPem) && cm.getData().size() == 1) {
                return;
            }
            ConfigMap copy = new ConfigMapBuilder(cm).withData(Map.of(DATA_KEY, caPem)).build();
            client.configMaps().inNamespace(namespace).resource(copy).update();
        } catch (KubernetesClientException e) {
            // 403/404: the namespace is terminating or gone; anything else (a conflict) is retried.
            if (e.getCode() != 403 && e.getCode() != 404) {
                throw e;
            }
        }
    }
}

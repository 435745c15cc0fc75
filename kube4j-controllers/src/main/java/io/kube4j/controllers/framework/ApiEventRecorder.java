package io.kube4j.controllers.framework;

import io.fabric8.kubernetes.api.model.EventSourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kube4j.api.events.EventSender;
import java.time.Clock;

/**
 * A controller's Events (source and reporting component: the controller), written through the API in the background
 * with repeats counted on one Event by {@link EventSender}: a failed or slow event write must never slow a reconcile
 * loop.
 */
public final class ApiEventRecorder implements EventRecorder, AutoCloseable {
    private static final int MAX_PENDING = 1000;

    private final Clock clock;
    private final EventSender sender;

    public ApiEventRecorder(KubernetesClient client, String component, Clock clock) {
        this.clock = clock;
        this.sender = new EventSender(new EventSender.Sink(
                event -> client.v1().events().resource(event).create(),
                (created, patch) -> client.v1().events().resource(created)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch),
                failure -> failure instanceof KubernetesClientException e && e.getCode() == 404),
                new EventSourceBuilder().withComponent(component).build(), null, MAX_PENDING);
    }

    @Override
    public void event(HasMetadata object, String type, String reason, String message) {
        sender.send(object.getMetadata().getNamespace(), new ObjectReferenceBuilder()
                .withApiVersion(object.getApiVersion()).withKind(object.getKind())
                .withNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName()).withUid(object.getMetadata().getUid())
                .withResourceVersion(object.getMetadata().getResourceVersion()).build(),
                type, reason, message, clock.instant());
    }

    @Override
    public void close() {
        sender.close();
    }
}

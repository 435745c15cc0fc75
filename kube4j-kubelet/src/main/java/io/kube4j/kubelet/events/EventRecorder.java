package io.kube4j.kubelet.events;

import io.fabric8.kubernetes.api.model.EventSourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kube4j.api.events.EventSender;

import java.time.Instant;

/**
 * The kubelet's core/v1 Events about pods and its node (source and reporting instance: the node), sent in the
 * background with repeats counted on one Event by {@link EventSender}: an event is never worth blocking a pod for.
 */
public class EventRecorder implements AutoCloseable {
    private static final int MAX_PENDING = 1000;

    private final String node;
    private final EventSender sender;

    public EventRecorder(KubernetesClient client, String node) {
        this.node = node;
        this.sender = new EventSender(new EventSender.Sink(
                event -> client.v1().events().resource(event).create(),
                (created, patch) -> client.v1().events().resource(created)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch),
                failure -> failure instanceof KubernetesClientException e && e.getCode() == 404),
                new EventSourceBuilder().withComponent("kubelet").withHost(node).build(), node, MAX_PENDING);
    }

    public void pod(Pod pod, String type, String reason, String message, String fieldPath) {
        ObjectReference ref = new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
                .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).withFieldPath(fieldPath).build();
        sender.send(pod.getMetadata().getNamespace(), ref, type, reason, message, Instant.now());
    }

    public void node(String uid, String type, String reason, String message) {
        ObjectReference ref = new ObjectReferenceBuilder().withApiVersion("v1").withKind("Node").withName(node).withUid(uid).build();
        sender.send(null, ref, type, reason, message, Instant.now());
    }

    @Override
    public void close() {
        sender.close();
    }
}

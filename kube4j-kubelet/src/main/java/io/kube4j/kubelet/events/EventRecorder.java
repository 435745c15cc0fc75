package io.kube4j.kubelet.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** core/v1 Events about pods and the node, sent in the background: an event is never worth blocking a pod for. */
public class EventRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    private final KubernetesClient client;
    private final String node;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kubelet-events");
        t.setDaemon(true);
        return t;
    });

    public EventRecorder(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
    }

    public void pod(Pod pod, String type, String reason, String message, String fieldPath) {
        ObjectReference ref = new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
                .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).withFieldPath(fieldPath).build();
        record(pod.getMetadata().getNamespace(), ref, type, reason, message);
    }

    public void node(String uid, String type, String reason, String message) {
        ObjectReference ref = new ObjectReferenceBuilder().withApiVersion("v1").withKind("Node").withName(node).withUid(uid).build();
        record("default", ref, type, reason, message);
    }

    private void record(String namespace, ObjectReference ref, String type, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Event event = new EventBuilder()
                .withNewMetadata().withNamespace(namespace)
                .withName(ref.getName() + "." + Long.toHexString(System.nanoTime())).endMetadata()
                .withInvolvedObject(ref).withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent("kubelet").withHost(node).endSource()
                .withReportingComponent("kubelet").withReportingInstance(node)
                .build();
        try {
            sender.execute(() -> {
                try {
                    client.v1().events().inNamespace(namespace).resource(event).create();
                } catch (RuntimeException e) {
                    LOG.debug("event {} not recorded: {}", reason, e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}

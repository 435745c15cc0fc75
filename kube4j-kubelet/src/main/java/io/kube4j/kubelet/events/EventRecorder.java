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

/**
 * core/v1 Events about pods and the node, sent in the background: an event is never worth blocking a pod for. An event
 * that repeats (same object, type, reason and message) within ten minutes bumps the count and lastTimestamp of the one
 * already sent, as upstream's event correlator does, so a pod retrying every few seconds does not flood the API.
 */
public class EventRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    private static final java.time.Duration SERIES_WINDOW = java.time.Duration.ofMinutes(10);
    private static final int MAX_SERIES = 4096;

    private final KubernetesClient client;
    private final String node;
    /** Sent events by what makes them the same; touched only by the sender thread. */
    private final java.util.Map<String, Series> series = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Series> eldest) {
            return size() > MAX_SERIES;
        }
    };

    private static final class Series {
        /** The Event as created: patched through it, since fabric8 GETs a patch's object it was not given. */
        final Event event;
        int count = 1;
        Instant last;

        Series(Event event, Instant last) {
            this.event = event;
            this.last = last;
        }
    }
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
        Instant at = Instant.now();
        String now = DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
        String key = ref.getUid() + "\0" + ref.getFieldPath() + "\0" + type + "\0" + reason + "\0" + message;
        Event event = new EventBuilder()
                .withNewMetadata().withNamespace(namespace)
                .withName(ref.getName() + "." + Long.toHexString(System.nanoTime())).endMetadata()
                .withInvolvedObject(ref).withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent("kubelet").withHost(node).endSource()
                .withReportingComponent("kubelet").withReportingInstance(node)
                .build();
        try {
            sender.execute(() -> send(key, event, at, now));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void send(String key, Event event, Instant at, String now) {
        String namespace = event.getMetadata().getNamespace();
        Series previous = series.get(key);
        try {
            if (previous != null && java.time.Duration.between(previous.last, at).compareTo(SERIES_WINDOW) < 0) {
                previous.count++;
                previous.last = at;
                String patch = "{\"count\":" + previous.count + ",\"lastTimestamp\":\"" + now + "\"}";
                try {
                    // a node may create and patch events but not read them (upstream's system:node role): a patch
                    // by name alone was a GET first, refused, and every repeat of an event was lost
                    client.v1().events().resource(previous.event)
                            .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), patch);
                    return;
                } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                    if (e.getCode() != 404) {
                        throw e;
                    }
                    // the event expired or was deleted: start a new series
                }
            }
            Event created = client.v1().events().inNamespace(namespace).resource(event).create();
            series.put(key, new Series(created, at));
        } catch (RuntimeException e) {
            if (previous != null) {
                series.remove(key);
            }
            LOG.debug("event {} not recorded: {}", event.getReason(), e.getMessage());
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}

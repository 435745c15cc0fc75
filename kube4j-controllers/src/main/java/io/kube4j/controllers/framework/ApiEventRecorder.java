package io.kube4j.controllers.framework;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Events through the API asynchronously: a failed or slow event write must never slow a
 * reconcile loop, and events are dropped rather than queued without bound.
 */
public final class ApiEventRecorder implements EventRecorder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiEventRecorder.class);
    private static final int MAX_PENDING = 1000;

    private final KubernetesClient client;
    private final String component;
    private final Clock clock;
    private final ExecutorService executor;
    private final AtomicLong sequence = new AtomicLong();

    public ApiEventRecorder(KubernetesClient client, String component, Clock clock) {
        this.client = client;
        this.component = component;
        this.clock = clock;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(MAX_PENDING), r -> {
                    Thread t = new Thread(r, "event-recorder");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.DiscardPolicy());
    }

    @Override
    public void event(HasMetadata object, String type, String reason, String message) {
        Event event = build(object, type, reason, message);
        executor.execute(() -> {
            try {
                client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
            } catch (RuntimeException e) {
                LOG.debug("could not record event {} on {}: {}", reason, Keys.of(object), e.getMessage());
            }
        });
    }

    Event build(HasMetadata object, String type, String reason, String message) {
        String namespace = object.getMetadata().getNamespace();
        if (namespace == null || namespace.isEmpty()) {
            namespace = "default";
        }
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        String suffix = Long.toHexString(clock.millis() * 1000 + (sequence.incrementAndGet() % 1000));
        return new EventBuilder()
                .withNewMetadata().withNamespace(namespace)
                .withName(object.getMetadata().getName() + "." + suffix).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(object.getApiVersion()).withKind(object.getKind())
                        .withNamespace(object.getMetadata().getNamespace())
                        .withName(object.getMetadata().getName()).withUid(object.getMetadata().getUid())
                        .withResourceVersion(object.getMetadata().getResourceVersion()).build())
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent(component).endSource()
                .withReportingComponent(component)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}

package io.kube4j.controllers.framework;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Events through the API asynchronously: a failed or slow event write must never slow a
 * reconcile loop, and events are dropped rather than queued without bound. An event identical to one recorded in the
 * last 10 minutes (same object, type, reason and message) patches that Event's count and lastTimestamp instead of
 * making a new one, as client-go's event correlator: `kubectl describe` shows "(x5 over 2m)", not five lines.
 */
public final class ApiEventRecorder implements EventRecorder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiEventRecorder.class);
    private static final int MAX_PENDING = 1000;
    /** client-go's aggregation window. */
    static final Duration SERIES_WINDOW = Duration.ofMinutes(10);
    /** Series remembered, least recently used dropped first (client-go's cache holds 4096). */
    private static final int MAX_SERIES = 4096;

    private final KubernetesClient client;
    private final String component;
    private final Clock clock;
    private final ExecutorService executor;
    private final AtomicLong sequence = new AtomicLong();
    /** Touched only by the recorder's single thread. */
    private final Map<String, Series> series = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Series> eldest) {
            return size() > MAX_SERIES;
        }
    };

    /** The Event as created (patched through it: a patch by name alone makes fabric8 GET it first) and its count. */
    private static final class Series {
        final Event event;
        int count = 1;
        Instant last;

        Series(Event event, Instant last) {
            this.event = event;
            this.last = last;
        }
    }

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
                record(event);
            } catch (RuntimeException e) {
                LOG.debug("could not record event {} on {}: {}", reason, Keys.of(object), e.getMessage());
            }
        });
    }

    private void record(Event event) {
        var o = event.getInvolvedObject();
        String key = String.join("\u0000", o.getKind(), o.getNamespace(), o.getName(), o.getUid(), event.getType(),
                event.getReason(), event.getMessage());
        Instant now = Instant.parse(event.getLastTimestamp()); // when it happened, not when this thread got to it
        Series previous = series.get(key);
        if (previous != null && now.isBefore(previous.last.plus(SERIES_WINDOW))) {
            previous.count++;
            previous.last = now;
            try {
                client.v1().events().inNamespace(previous.event.getMetadata().getNamespace()).resource(previous.event)
                        .patch(PatchContext.of(PatchType.JSON_MERGE),
                                "{\"count\":" + previous.count + ",\"lastTimestamp\":\"" + event.getLastTimestamp() + "\"}");
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                // the Event expired (its TTL) or was deleted: start a new series
            }
        }
        Event created = client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
        series.put(key, new Series(created, now));
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

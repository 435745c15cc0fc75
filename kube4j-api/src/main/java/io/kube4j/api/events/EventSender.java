package io.kube4j.api.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.ObjectReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Writes a component's core/v1 Events on a thread of its own, counting repeats on one Event as client-go's event
 * recorder and correlator do: an event with the same involved object, type, reason and message as one written in the
 * last ten minutes merge-patches that Event's count and lastTimestamp instead of making another, so
 * {@code kubectl describe} shows "(x5 over 2m)" and a component retrying every few seconds does not flood the API. An
 * event is never worth blocking for: events wait in a bounded queue and are dropped when it is full or a write fails.
 * The component (kubelet, controller manager) says what each event is about and gives its client calls as a
 * {@link Sink}: this module has the API's types but no client.
 */
public final class EventSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventSender.class);
    /** client-go's aggregation window. */
    public static final Duration SERIES_WINDOW = Duration.ofMinutes(10);
    /** Series remembered, least recently used dropped first (client-go's cache holds 4096). */
    private static final int MAX_SERIES = 4096;

    /**
     * The API calls the sender makes, through the component's client: {@code create} returns the Event as the server
     * wrote it; {@code patch} merge-patches an Event given as created (a fabric8 patch by name alone would GET it
     * first, which a node may not do); {@code notFound} tells a failure that says the Event is gone (404, it expired
     * or was deleted), after which the repeat starts a new series.
     */
    public record Sink(UnaryOperator<Event> create, BiConsumer<Event, String> patch,
                       Predicate<RuntimeException> notFound) {
    }

    private final Sink sink;
    private final EventSource source;
    private final String reportingInstance;
    private final AtomicLong sequence = new AtomicLong();
    private final ThreadPoolExecutor executor;
    /** Touched only by the sender's single thread. */
    private final Map<String, Series> series = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Series> eldest) {
            return size() > MAX_SERIES;
        }
    };

    /** The Event as created, its count and when it last happened. */
    private static final class Series {
        final Event created;
        int count = 1;
        Instant last;

        Series(Event created, Instant last) {
            this.created = created;
            this.last = last;
        }
    }

    /**
     * Events from {@code source} (its component also the reporting component; a kubelet names its host), reported by
     * {@code reportingInstance} (null: none); at most {@code maxPending} wait for the sender's thread.
     */
    public EventSender(Sink sink, EventSource source, String reportingInstance, int maxPending) {
        this.sink = sink;
        this.source = source;
        this.reportingInstance = reportingInstance;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(maxPending),
                r -> {
                    Thread t = new Thread(r, source.getComponent() + "-events");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.DiscardPolicy());
    }

    /**
     * Queues an Event about {@code about}, in {@code namespace} (an Event about a cluster-scoped object goes to
     * {@code default}, as upstream's do), that happened {@code at}: that time, not when the sender gets to it, places
     * a repeat in or out of the window.
     */
    public void send(String namespace, ObjectReference about, String type, String reason, String message, Instant at) {
        Event event = event(namespace == null || namespace.isEmpty() ? "default" : namespace, about, type, reason,
                message, at);
        executor.execute(() -> {
            try {
                write(event, at);
            } catch (RuntimeException e) {
                LOG.debug("event {} about {} not recorded: {}", reason, about.getName(), e.getMessage());
            }
        });
    }

    /** A new Event, seen once: named after its object with a suffix unique to this sender, timed to the second. */
    private Event event(String namespace, ObjectReference about, String type, String reason, String message,
                        Instant at) {
        String time = DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
        String suffix = Long.toHexString(at.toEpochMilli() * 1000 + sequence.incrementAndGet() % 1000);
        return new EventBuilder()
                .withNewMetadata().withNamespace(namespace).withName(about.getName() + "." + suffix).endMetadata()
                .withInvolvedObject(about).withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
                .withSource(source).withReportingComponent(source.getComponent())
                .withReportingInstance(reportingInstance).build();
    }

    private void write(Event event, Instant at) {
        String key = key(event);
        Series previous = series.get(key);
        if (previous != null && at.isBefore(previous.last.plus(SERIES_WINDOW))) {
            try {
                sink.patch().accept(previous.created, "{\"count\":" + (previous.count + 1) + ",\"lastTimestamp\":\""
                        + event.getLastTimestamp() + "\"}");
                previous.count++;
                previous.last = at;
                return;
            } catch (RuntimeException e) {
                series.remove(key); // a later repeat starts afresh rather than counting on an Event in doubt
                if (!sink.notFound().test(e)) {
                    throw e;
                }
            }
        }
        series.put(key, new Series(sink.create().apply(event), at));
    }

    /** What makes two Events the same: client-go's aggregation key without the source, which is one per sender. */
    private static String key(Event event) {
        ObjectReference o = event.getInvolvedObject();
        return String.join("\u0000", o.getKind(), o.getNamespace(), o.getName(), o.getUid(), o.getFieldPath(),
                event.getType(), event.getReason(), event.getMessage());
    }

    /** Stops taking events; those queued are still written, by a daemon thread that does not hold up an exit. */
    @Override
    public void close() {
        executor.shutdown();
    }
}

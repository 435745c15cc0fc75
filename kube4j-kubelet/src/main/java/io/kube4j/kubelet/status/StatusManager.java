package io.kube4j.kubelet.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kube4j.kubelet.config.StaticPodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Sends pod statuses to the API server through {@code pods/status} from threads of its own, as upstream's status
 * manager: a pod's sync only sets the status it wants and goes on, so a pod start no longer waits for the API's round
 * trips (its sandbox is made while its ContainerCreating status is on its way).
 * <p>
 * Writes coalesce per pod: a pod has at most one write on the wire, a status set meanwhile replaces any older one not
 * sent yet, and only the newest is sent next; a status equal to the one the API has from us is not sent; a failed write
 * is retried, with backoff, with whatever is newest by then (404: the pod is gone, nothing to retry). Different pods'
 * writes go out side by side on a few threads: one sender made every pod's write wait for the round trips of the
 * others', and a burst of starts on a loaded node queued statuses for seconds. A JSON merge patch replaces lists whole,
 * so the status we send is the status the pod gets; fields we stopped reporting are nulled.
 */
public final class StatusManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusManager.class);
    /** Fields that can go away from a status: a merge patch removes a key only when it is given as null. */
    private static final Map<String, Function<PodStatus, Object>> CLEARABLE = clearable();
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LAST_RETRY = Duration.ofSeconds(10);
    /** Writes of different pods on the wire at once; the threads end after a while idle. */
    private static final int SENDERS = 4;
    private static final long SENDER_IDLE_SECONDS = 10;

    /** How a status reaches the API server: a JSON merge patch of the pod's {@code status} subresource. */
    @FunctionalInterface
    interface Writer {
        void patchStatus(String namespace, String name, String mergePatch);
    }

    private final KubernetesSerialization json;
    private final Writer writer;
    private final ScheduledExecutorService senders;
    private final Map<String, PodStatuses> pods = new ConcurrentHashMap<>();

    private record Wanted(Pod pod, PodStatus status, String body) {
    }

    private record Sent(String body, PodStatus status) {
    }

    private enum Outcome { DONE, RETRY }

    /**
     * One pod's statuses: the newest the kubelet wants and the last the API took. Its fields are read and written under
     * its monitor, briefly; {@code writing} is held for a write's whole round trip, so a pod has one write at a time
     * and the sync thread never waits for the API unless it asks to ({@link #flush}).
     */
    private static final class PodStatuses {
        final Object writing = new Object();
        Wanted wanted;
        /** Counts the statuses set: a sender that finds it moved during its write sends again. */
        long version;
        Sent sent;
        /** A sender has this pod: queued, writing, or waiting for its retry. Another is not needed. */
        boolean sending;
        boolean forgotten;
        /**
         * The API turned the wanted status away (404: no pod of that name yet or any more - a static pod's mirror pod
         * may not exist yet -, 422): the sender does not retry it, but the next sync that wants it again sends it.
         */
        boolean refused;
        /** Only the pod's sender touches it. */
        Duration retry = FIRST_RETRY;
    }

    public StatusManager(KubernetesClient client) {
        this(client.getKubernetesSerialization(), (namespace, name, patch) -> client.pods().inNamespace(namespace).withName(name)
                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    }

    StatusManager(KubernetesSerialization json, Writer writer) {
        this.json = json;
        this.writer = writer;
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(SENDERS, r -> {
            Thread t = new Thread(r, "kubelet-status-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setKeepAliveTime(SENDER_IDLE_SECONDS, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.senders = executor;
    }

    /**
     * Sets the status the kubelet wants for the pod; the sender writes it soon, unless a newer one replaces it first.
     *
     * @return false when it is the status already set (sent or on its way): nothing new to write
     */
    public boolean update(Pod pod, PodStatus status) {
        String body = json.asJson(status);
        PodStatuses p = pods.computeIfAbsent(pod.getMetadata().getUid(), uid -> new PodStatuses());
        boolean schedule;
        synchronized (p) {
            if (p.wanted != null && p.wanted.body().equals(body) && !p.refused) {
                return false;
            }
            p.wanted = new Wanted(pod, status, body);
            p.refused = false;
            p.version++;
            schedule = !p.sending;
            p.sending = true;
        }
        if (schedule) {
            send(p, Duration.ZERO);
        }
        return true;
    }

    /**
     * The newest status this kubelet set for the pod, sent or still on its way, or null (none yet, or forgotten): the
     * pod a sync has at hand can be older, and the next status keeps start and transition times from this one.
     */
    public PodStatus latest(String uid) {
        PodStatuses p = pods.get(uid);
        if (p == null) {
            return null;
        }
        synchronized (p) {
            return p.wanted == null ? null : p.wanted.status();
        }
    }

    /**
     * Writes the pod's newest status now, on the calling thread, after a write of it already on the wire: what a pod's
     * deletion needs, so the API has its final status before the pod goes.
     *
     * @return true when the API has the newest status (or the pod is gone), false when the write failed
     */
    public boolean flush(String uid) {
        PodStatuses p = pods.get(uid);
        return p == null || write(p) == Outcome.DONE;
    }

    /** Whether a sender has the pod: a write of it queued, on the wire or waiting for its retry. */
    boolean sending(String uid) {
        PodStatuses p = pods.get(uid);
        if (p == null) {
            return false;
        }
        synchronized (p) {
            return p.sending;
        }
    }

    /** Drops the pod's statuses; a write of them still queued is not sent. */
    public void forget(String uid) {
        PodStatuses p = pods.remove(uid);
        if (p != null) {
            synchronized (p) {
                p.forgotten = true;
            }
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }

    private void send(PodStatuses p, Duration delay) {
        try {
            senders.schedule(() -> drain(p), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("status manager closed; status not sent");
        }
    }

    /**
     * The pod's sender: writes the newest status, again while newer ones were set during a write, and schedules a retry
     * when a write failed - statuses set until then wait for it, and it sends the newest.
     */
    private void drain(PodStatuses p) {
        while (true) {
            long version;
            synchronized (p) {
                version = p.version;
            }
            if (write(p) == Outcome.RETRY) {
                Duration delay = p.retry;
                Duration next = p.retry.multipliedBy(2);
                p.retry = next.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : next;
                send(p, delay);
                return;
            }
            p.retry = FIRST_RETRY;
            synchronized (p) {
                if (p.version == version || p.forgotten) {
                    p.sending = false;
                    return;
                }
            }
        }
    }

    private Outcome write(PodStatuses p) {
        synchronized (p.writing) {
            Wanted wanted;
            Sent last;
            synchronized (p) {
                if (p.forgotten) {
                    return Outcome.DONE;
                }
                wanted = p.wanted;
                last = p.sent;
            }
            if (wanted == null || last != null && last.body().equals(wanted.body())) {
                return Outcome.DONE;
            }
            Pod pod = wanted.pod();
            PodStatus api = pod.getStatus();
            // nothing sent yet (a restarted kubelet adopting its pods): the API may have this status already
            if (last == null && api != null && wanted.body().equals(json.asJson(api))) {
                sent(p, wanted);
                return Outcome.DONE;
            }
            String namespace = pod.getMetadata().getNamespace();
            String name = pod.getMetadata().getName();
            LOG.debug("status of {}/{}: {}", namespace, name, wanted.body());
            try {
                writer.patchStatus(namespace, name, patch(wanted, last == null ? null : last.status()));
                sent(p, wanted);
                return Outcome.DONE;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404 || e.getCode() == 422) {
                    // 404: no such pod (gone, or a static pod's mirror not made yet); 422: the patch names the pod's
                    // uid and the pod of that name is another one, or the API refuses the status. Sending it again at
                    // once would not change that; the next sync that wants it sends it again
                    LOG.debug("status of pod {}/{} not taken: {}", namespace, name, e.getMessage());
                    synchronized (p) {
                        if (p.wanted == wanted) {
                            p.refused = true;
                        }
                    }
                    return Outcome.DONE;
                }
                LOG.warn("cannot update status of pod {}/{}: {}", namespace, name, e.getMessage());
                return Outcome.RETRY;
            } catch (RuntimeException e) {
                LOG.warn("cannot update status of pod {}/{}: {}", namespace, name, e.toString());
                return Outcome.RETRY;
            }
        }
    }

    private static void sent(PodStatuses p, Wanted wanted) {
        synchronized (p) {
            p.sent = new Sent(wanted.body(), wanted.status());
        }
    }

    /**
     * {@code {"metadata":{"uid":...},"status": ...}} with null for every clearable field the API may hold - in the pod
     * at hand or in what we sent since - and the new status does not report. The status's own JSON is reused: the
     * nulls go in front of it. The uid makes the API refuse the write (422) if the pod of that name is another one
     * by now, as upstream's kubelet guards its patches.
     */
    private String patch(Wanted wanted, PodStatus lastSent) {
        PodStatus api = wanted.pod().getStatus();
        List<String> nulls = new ArrayList<>();
        for (Map.Entry<String, Function<PodStatus, Object>> field : CLEARABLE.entrySet()) {
            if (!present(wanted.status(), field.getValue()) && (present(api, field.getValue()) || present(lastSent, field.getValue()))) {
                nulls.add("\"" + field.getKey() + "\":null");
            }
        }
        String body = wanted.body();
        // a static pod's status goes to its mirror pod, whose uid the API server made (upstream translates it): none
        String uid = StaticPodSource.isStatic(wanted.pod()) ? null : wanted.pod().getMetadata().getUid();
        String head = uid == null ? "{" : "{\"metadata\":{\"uid\":" + json.asJson(uid) + "},";
        if (nulls.isEmpty()) {
            return head + "\"status\":" + body + "}";
        }
        String rest = body.substring(1); // after the status object's opening brace
        return head + "\"status\":{" + String.join(",", nulls) + (rest.equals("}") ? "" : ",") + rest + "}";
    }

    /** Whether the status has the field, as its JSON would: fabric8 leaves out nulls and empty lists. */
    private static boolean present(PodStatus status, Function<PodStatus, Object> field) {
        if (status == null) {
            return false;
        }
        Object value = field.apply(status);
        return value != null && !(value instanceof Collection<?> c && c.isEmpty());
    }

    private static Map<String, Function<PodStatus, Object>> clearable() {
        Map<String, Function<PodStatus, Object>> fields = new LinkedHashMap<>();
        fields.put("reason", PodStatus::getReason);
        fields.put("message", PodStatus::getMessage);
        fields.put("podIP", PodStatus::getPodIP);
        fields.put("podIPs", PodStatus::getPodIPs);
        return java.util.Collections.unmodifiableMap(fields);
    }
}

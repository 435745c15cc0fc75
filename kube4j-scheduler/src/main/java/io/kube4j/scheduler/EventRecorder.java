package io.kube4j.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.kube4j.scheduler.util.JsonText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes events and pod status patches off the scheduling thread. Bounded: under overload events are
 * dropped (as upstream's broadcaster does) rather than slowing scheduling.
 */
final class EventRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private final KubernetesClient client;
    private final String identity;
    private final ThreadPoolExecutor executor;
    private final AtomicLong seq = new AtomicLong();

    EventRecorder(KubernetesClient client, String identity, int threads) {
        this.client = client;
        this.identity = identity;
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(20_000), r -> {
            Thread t = new Thread(r, "scheduler-events");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }

    void event(Pod pod, String component, String type, String reason, String action, String message) {
        executor.execute(() -> {
            String json = eventJson(pod, component, type, reason, action, message);
            try {
                post(pod.getMetadata().getNamespace(), reason, json);
            } catch (RuntimeException | ExecutionException | TimeoutException ex) {
                LOG.debug("could not record event {} for {}: {}", reason, pod.getMetadata().getName(), ex.getMessage());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * A core/v1 Event about the pod, written straight to JSON: one per bound pod, so no model object, builder or
     * Jackson pass per event. The name is the pod's plus a unique suffix, as upstream's recorder makes them.
     */
    String eventJson(Pod pod, String component, String type, String reason, String action, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        StringBuilder b = new StringBuilder(640).append("{\"kind\":\"Event\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":");
        JsonText.string(b, name + "." + Long.toHexString(System.nanoTime()) + Long.toHexString(seq.incrementAndGet()));
        JsonText.string(b.append(",\"namespace\":"), ns);
        b.append("},\"involvedObject\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"namespace\":");
        JsonText.string(b, ns);
        JsonText.string(b.append(",\"name\":"), name);
        if (pod.getMetadata().getUid() != null) JsonText.string(b.append(",\"uid\":"), pod.getMetadata().getUid());
        if (pod.getMetadata().getResourceVersion() != null) {
            JsonText.string(b.append(",\"resourceVersion\":"), pod.getMetadata().getResourceVersion());
        }
        JsonText.string(b.append("},\"type\":"), type);
        JsonText.string(b.append(",\"reason\":"), reason);
        JsonText.string(b.append(",\"action\":"), action);
        JsonText.string(b.append(",\"message\":"), message);
        JsonText.string(b.append(",\"source\":{\"component\":"), component);
        JsonText.string(b.append("},\"reportingComponent\":"), component);
        JsonText.string(b.append(",\"reportingInstance\":"), identity);
        JsonText.string(b.append(",\"firstTimestamp\":"), now);
        JsonText.string(b.append(",\"lastTimestamp\":"), now);
        return b.append(",\"count\":1}").toString();
    }

    /**
     * Creates the event with a plain POST. The client's {@code create()} would also decode the created Event the
     * server sends back into a model object that nothing reads; with one Scheduled event per bound pod that is a
     * whole decode per pod, on the cores the scheduler shares with the API server in {@code kube4j server}.
     */
    private void post(String namespace, String reason, String json) throws ExecutionException, InterruptedException, TimeoutException {
        String base = client.getMasterUrl().toString();
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        String url = base + "/api/v1/namespaces/" + URLEncoder.encode(namespace, StandardCharsets.UTF_8) + "/events";
        HttpRequest req = client.getHttpClient().newHttpRequestBuilder()
                .uri(url)
                .post("application/json", json.getBytes(StandardCharsets.UTF_8))
                .build();
        HttpResponse<byte[]> resp = client.getHttpClient().sendAsync(req, byte[].class).get(60, TimeUnit.SECONDS);
        if (resp.code() < 200 || resp.code() >= 300) {
            LOG.debug("event {} in {} refused: HTTP {}", reason, namespace, resp.code());
        }
    }

    /** Sets PodScheduled=False (reason Unschedulable) and optionally status.nominatedNodeName via strategic merge. */
    void podUnschedulable(Pod pod, String reason, String message, String nominatedNode) {
        executor.execute(() -> {
            Map<String, Object> cond = new LinkedHashMap<>();
            cond.put("type", "PodScheduled");
            cond.put("status", "False");
            cond.put("reason", reason);
            cond.put("message", message);
            cond.put("lastProbeTime", null);
            cond.put("lastTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("conditions", List.of(cond));
            if (nominatedNode != null) status.put("nominatedNodeName", nominatedNode);
            String json = client.getKubernetesSerialization().asJson(Map.of("status", status));
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), json);
            } catch (KubernetesClientException ex) {
                if (ex.getCode() == 415) {
                    updateStatusFallback(pod, reason, message, nominatedNode);
                } else {
                    LOG.warn("could not patch status of {}: {}", pod.getMetadata().getName(), ex.getMessage());
                }
            } catch (RuntimeException ex) {
                LOG.warn("could not patch status of {}: {}", pod.getMetadata().getName(), ex.getMessage());
            }
        });
    }

    /** For servers without strategic merge patch: read, replace the PodScheduled condition, update status. */
    private void updateStatusFallback(Pod pod, String reason, String message, String nominatedNode) {
        try {
            Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
            if (current == null) return;
            if (current.getStatus() == null) current.setStatus(new PodStatus());
            List<PodCondition> conditions = new ArrayList<>();
            if (current.getStatus().getConditions() != null) {
                for (PodCondition c : current.getStatus().getConditions()) if (!"PodScheduled".equals(c.getType())) conditions.add(c);
            }
            conditions.add(new PodConditionBuilder().withType("PodScheduled").withStatus("False").withReason(reason).withMessage(message)
                    .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).build());
            current.getStatus().setConditions(conditions);
            if (nominatedNode != null) current.getStatus().setNominatedNodeName(nominatedNode);
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(current).updateStatus();
        } catch (RuntimeException ex) {
            LOG.warn("could not update status of {}: {}", pod.getMetadata().getName(), ex.getMessage());
        }
    }

    @Override public void close() { executor.shutdownNow(); }
}

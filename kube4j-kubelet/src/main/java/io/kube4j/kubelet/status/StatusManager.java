package io.kube4j.kubelet.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends pod statuses to the API server through {@code pods/status}, only when they changed. A JSON merge patch
 * replaces lists whole, so the status we send is the status the pod gets; fields we stopped reporting are nulled.
 */
public final class StatusManager {
    private static final Logger LOG = LoggerFactory.getLogger(StatusManager.class);
    private static final List<String> CLEARABLE = List.of("reason", "message", "podIP", "podIPs");

    private final KubernetesClient client;
    private final KubernetesSerialization json;
    /** Per pod UID: the status the API has from us, as sent (and its JSON, to tell a change). */
    private final Map<String, Sent> lastSent = new ConcurrentHashMap<>();

    private record Sent(String body, PodStatus status) {
    }

    public StatusManager(KubernetesClient client) {
        this.client = client;
        this.json = client.getKubernetesSerialization();
    }

    /** @return true when a patch was sent */
    public boolean update(Pod pod, PodStatus status) {
        String uid = pod.getMetadata().getUid();
        String body = json.asJson(status);
        Sent last = lastSent.get(uid);
        if (last != null && body.equals(last.body())) {
            return false;
        }
        if (pod.getStatus() != null && body.equals(json.asJson(pod.getStatus()))) {
            lastSent.put(uid, new Sent(body, status));
            return false;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> statusMap = new LinkedHashMap<>(json.convertValue(status, Map.class));
        // null only what the API holds and we no longer report (a merge patch removes keys given as null)
        @SuppressWarnings("unchecked")
        Map<String, Object> current = pod.getStatus() == null ? Map.of() : json.convertValue(pod.getStatus(), Map.class);
        for (String key : CLEARABLE) {
            if (current.get(key) != null && !statusMap.containsKey(key)) {
                statusMap.put(key, null);
            }
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("status", statusMap);
        LOG.debug("status of {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), body);
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), json.asJson(patch));
            lastSent.put(uid, new Sent(body, status));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                LOG.debug("pod {}/{} is gone; status not sent", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            } else {
                LOG.warn("cannot update status of pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
            }
            return false;
        }
    }

    /** The status the API last took from this kubelet for the pod, or null (none yet, or forgotten). */
    public PodStatus lastSent(String uid) {
        Sent last = lastSent.get(uid);
        return last == null ? null : last.status();
    }

    public void forget(String uid) {
        lastSent.remove(uid);
    }
}

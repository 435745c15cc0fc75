package io.kube4j.kubelet.volume;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.BoundObjectReference;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens from {@code serviceaccounts/<sa>/token}, bound to the pod, cached until 80% of their life has passed
 * (upstream's token manager refreshes at the same point), so a resync rotates them.
 */
public final class ApiTokenSource implements TokenSource {
    private static final Logger LOG = LoggerFactory.getLogger(ApiTokenSource.class);

    private record Cached(String token, Instant refreshAt) {
    }

    private final KubernetesClient client;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ApiTokenSource(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public String token(Pod pod, String serviceAccount, String audience, long expirationSeconds) {
        String key = pod.getMetadata().getUid() + "/" + serviceAccount + "/" + audience + "/" + expirationSeconds;
        Cached cached = cache.get(key);
        if (cached != null && Instant.now().isBefore(cached.refreshAt())) {
            return cached.token();
        }
        TokenRequest request = new TokenRequestBuilder()
                .withNewSpec()
                .withAudiences(audience == null || audience.isEmpty() ? List.of() : List.of(audience))
                .withExpirationSeconds(expirationSeconds)
                .withBoundObjectRef(new BoundObjectReference("v1", "Pod", pod.getMetadata().getName(), pod.getMetadata().getUid()))
                .endSpec().build();
        try {
            TokenRequest answer = client.serviceAccounts().inNamespace(pod.getMetadata().getNamespace())
                    .withName(serviceAccount).tokenRequest(request);
            String token = answer.getStatus() == null || answer.getStatus().getToken() == null ? "" : answer.getStatus().getToken();
            cache.put(key, new Cached(token, Instant.now().plusSeconds(expirationSeconds * 8 / 10)));
            return token;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 501 || e.getCode() == 405) {
                LOG.info("the API server does not issue tokens for {}/{} ({}): writing an empty token",
                        pod.getMetadata().getNamespace(), serviceAccount, e.getCode());
                cache.put(key, new Cached("", Instant.now().plusSeconds(60)));
                return "";
            }
            throw new VolumeException("failed to fetch token: " + e.getMessage());
        }
    }

    public void forget(String podUid) {
        cache.keySet().removeIf(k -> k.startsWith(podUid + "/"));
    }
}

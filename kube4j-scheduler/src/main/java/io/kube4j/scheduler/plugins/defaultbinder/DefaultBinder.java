package io.kube4j.scheduler.plugins.defaultbinder;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.kube4j.scheduler.framework.BindPlugin;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Handle;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.util.JsonText;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Binds with a POST to the pods/binding subresource, as upstream's DefaultBinder. One POST per scheduled pod: the
 * body is written directly (no Binding model, builder or Jackson pass) and the reply is read as bytes, decoded only
 * when the server refuses, since a successful binding's reply (a Status) says nothing the scheduler uses.
 */
public final class DefaultBinder implements BindPlugin {
    public static final String NAME = "DefaultBinder";
    private final Handle handle;

    public DefaultBinder(Handle handle) { this.handle = handle; }

    @Override public String name() { return NAME; }

    @Override
    public Status bind(CycleState state, PodInfo pod, String nodeName) {
        KubernetesClient client = handle.client();
        if (client == null) return Status.error("no API client to bind with");
        String base = client.getMasterUrl().toString();
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        String url = base + "/api/v1/namespaces/" + enc(pod.namespace()) + "/pods/" + enc(pod.name()) + "/binding";
        HttpRequest req = client.getHttpClient().newHttpRequestBuilder()
                .uri(url)
                .post("application/json", body(pod, nodeName))
                .build();
        try {
            HttpResponse<byte[]> resp = client.getHttpClient().sendAsync(req, byte[].class).get(60, TimeUnit.SECONDS);
            if (resp.code() >= 200 && resp.code() < 300) return Status.success();
            byte[] reply = resp.body();
            return Status.error("binding rejected: HTTP " + resp.code() + " " + (reply == null ? "" : new String(reply, StandardCharsets.UTF_8)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.error("interrupted while binding");
        } catch (ExecutionException | TimeoutException e) {
            return Status.error("binding failed: " + e.getMessage());
        }
    }

    /** A v1 Binding of the pod (name, namespace and uid, so a re-created pod of the same name is not bound) to the node. */
    static String body(PodInfo pod, String nodeName) {
        StringBuilder b = new StringBuilder(256).append("{\"kind\":\"Binding\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":");
        JsonText.string(b, pod.name()).append(",\"namespace\":");
        JsonText.string(b, pod.namespace());
        if (pod.uid() != null) JsonText.string(b.append(",\"uid\":"), pod.uid());
        b.append("},\"target\":{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"name\":");
        return JsonText.string(b, nodeName).append("}}").toString();
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}

package io.kube4j.scheduler.plugins.defaultbinder;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.kube4j.scheduler.framework.BindPlugin;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Handle;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Binds with a POST to the pods/binding subresource, as upstream's DefaultBinder. */
public final class DefaultBinder implements BindPlugin {
    public static final String NAME = "DefaultBinder";
    private final Handle handle;

    public DefaultBinder(Handle handle) { this.handle = handle; }

    @Override public String name() { return NAME; }

    @Override
    public Status bind(CycleState state, PodInfo pod, String nodeName) {
        KubernetesClient client = handle.client();
        if (client == null) return Status.error("no API client to bind with");
        Binding b = new BindingBuilder()
                .withNewMetadata().withName(pod.name()).withNamespace(pod.namespace()).withUid(pod.uid()).endMetadata()
                .withNewTarget().withKind("Node").withApiVersion("v1").withName(nodeName).endTarget()
                .build();
        String base = client.getMasterUrl().toString();
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        String url = base + "/api/v1/namespaces/" + enc(pod.namespace()) + "/pods/" + enc(pod.name()) + "/binding";
        HttpRequest req = client.getHttpClient().newHttpRequestBuilder()
                .uri(url)
                .post("application/json", client.getKubernetesSerialization().asJson(b))
                .build();
        try {
            HttpResponse<String> resp = client.getHttpClient().sendAsync(req, String.class).get(60, TimeUnit.SECONDS);
            if (resp.code() >= 200 && resp.code() < 300) return Status.success();
            return Status.error("binding rejected: HTTP " + resp.code() + " " + resp.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.error("interrupted while binding");
        } catch (ExecutionException | TimeoutException e) {
            return Status.error("binding failed: " + e.getMessage());
        }
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}

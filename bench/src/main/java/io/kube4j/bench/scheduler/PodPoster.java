package io.kube4j.bench.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the benchmark's pods with a POST to the API server, as fabric8's {@code create()} does, but without
 * decoding the created Pod the server sends back: the creators share the two cores with what is measured, and
 * upstream's scheduler_perf creates its pods with client-go over protobuf, far cheaper than a JSON round trip.
 * The body is the JSON of the pod template with the pod's name put in, so the API server still decodes,
 * validates, defaults and stores a whole pod for each request.
 */
final class PodPoster {
    private static final String NAME_MARK = "__BENCH_POD_NAME__";
    private final KubernetesClient client;
    private final String url;
    private final String before;
    private final String after;

    /** {@code template} is the pod to create; its metadata.name is replaced per call. */
    PodPoster(KubernetesClient client, String namespace, Pod template) {
        this.client = client;
        String base = client.getMasterUrl().toString();
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        this.url = base + "/api/v1/namespaces/" + URLEncoder.encode(namespace, StandardCharsets.UTF_8) + "/pods";
        template.getMetadata().setName(NAME_MARK);
        String json = client.getKubernetesSerialization().asJson(template);
        int i = json.indexOf(NAME_MARK);
        if (i < 0 || json.indexOf(NAME_MARK, i + 1) >= 0) throw new IllegalStateException("the pod template must carry the name once: " + json);
        this.before = json.substring(0, i);
        this.after = json.substring(i + NAME_MARK.length());
    }

    /** Creates the pod named {@code name} (a DNS label, so it needs no JSON escaping); fails on any other answer than 201 or 409. */
    void create(String name) {
        byte[] body = (before + name + after).getBytes(StandardCharsets.UTF_8);
        HttpRequest req = client.getHttpClient().newHttpRequestBuilder().uri(url).post("application/json", body).build();
        HttpResponse<byte[]> resp;
        try {
            resp = client.getHttpClient().sendAsync(req, byte[].class).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating pod " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("creating pod " + name + ": " + e, e);
        }
        // 409: fabric8's HTTP client retries a request that timed out (a long GC pause on a loaded machine), and the
        // first attempt may have created the pod; names are unique per run, so an existing pod is this one.
        if (resp.code() != 201 && resp.code() != 409) {
            throw new IllegalStateException("creating pod " + name + ": HTTP " + resp.code() + " "
                    + new String(resp.body() == null ? new byte[0] : resp.body(), StandardCharsets.UTF_8));
        }
    }
}

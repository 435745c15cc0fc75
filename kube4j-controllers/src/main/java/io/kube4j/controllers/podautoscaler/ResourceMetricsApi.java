package io.kube4j.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads PodMetrics from {@code metrics.k8s.io/v1beta1}, the resource metrics API, through the API server. */
public final class ResourceMetricsApi implements PodMetricsSource {
    private final KubernetesClient client;

    public ResourceMetricsApi(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Map<String, List<ContainerUsage>> podUsage(String namespace, String resource) throws MetricsUnavailableException {
        String base = client.getMasterUrl().toString().replaceAll("/+$", "");
        String body;
        try {
            body = client.raw(base + "/apis/metrics.k8s.io/v1beta1/namespaces/" + namespace + "/pods");
        } catch (KubernetesClientException e) {
            throw unavailable(resource, e.getCode() == 404 ? notServed()
                    : e.getMessage() == null ? "request failed" : e.getMessage());
        }
        if (body == null) {
            throw unavailable(resource, notServed());
        }
        PodMetricsList list = client.getKubernetesSerialization().unmarshal(body, PodMetricsList.class);
        if (list.getItems() == null || list.getItems().isEmpty()) {
            // served, but nothing scraped yet (no kubelet reports, or too early): upstream's words
            throw new MetricsUnavailableException("unable to get metrics for resource " + resource
                    + ": no metrics returned from resource metrics API");
        }
        Map<String, List<ContainerUsage>> usage = new HashMap<>();
        for (PodMetrics pm : list.getItems()) {
            List<ContainerUsage> containers = new ArrayList<>();
            for (ContainerMetrics c : pm.getContainers()) {
                Quantity q = c.getUsage() == null ? null : c.getUsage().get(resource);
                containers.add(new ContainerUsage(c.getName(), q == null ? null : Quantities.milli(q)));
            }
            usage.put(pm.getMetadata().getName(), containers);
        }
        return usage;
    }

    private static String notServed() {
        return "the server could not find the requested resource (get pods.metrics.k8s.io)";
    }

    private static MetricsUnavailableException unavailable(String resource, String cause) {
        return new MetricsUnavailableException("unable to get metrics for resource " + resource
                + ": unable to fetch metrics from resource metrics API: " + cause);
    }
}

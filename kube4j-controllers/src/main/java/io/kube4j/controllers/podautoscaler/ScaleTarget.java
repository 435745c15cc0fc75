package io.kube4j.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.Map;

/**
 * The scale subresource of whatever an autoscaler targets, read and written as autoscaling/v1 Scale over
 * plain REST so any scalable kind (Deployment, ReplicaSet, StatefulSet, ReplicationController, a CRD with a
 * scale subresource) works the same way.
 */
final class ScaleTarget {
    private static final Map<String, String> PLURALS = Map.of("Deployment", "deployments", "ReplicaSet",
            "replicasets", "StatefulSet", "statefulsets", "ReplicationController", "replicationcontrollers");

    private final KubernetesClient client;

    ScaleTarget(KubernetesClient client) {
        this.client = client;
    }

    Scale get(String namespace, CrossVersionObjectReference ref) {
        String body = client.raw(url(namespace, ref));
        if (body == null) {
            throw new IllegalStateException(ref.getKind().toLowerCase(Locale.ROOT) + "s \"" + ref.getName()
                    + "\" not found");
        }
        return client.getKubernetesSerialization().unmarshal(body, Scale.class);
    }

    void update(String namespace, CrossVersionObjectReference ref, Scale scale, int replicas) {
        scale.getSpec().setReplicas(replicas);
        client.raw(url(namespace, ref), "PUT", scale);
    }

    private String url(String namespace, CrossVersionObjectReference ref) {
        String apiVersion = ref.getApiVersion() == null ? "apps/v1" : ref.getApiVersion();
        String prefix = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
        String plural = PLURALS.getOrDefault(ref.getKind(), ref.getKind().toLowerCase(Locale.ROOT) + "s");
        return client.getMasterUrl().toString().replaceAll("/+$", "") + prefix + "/namespaces/" + namespace + "/"
                + plural + "/" + ref.getName() + "/scale";
    }
}

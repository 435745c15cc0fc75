package io.kube4j.kubelet.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;

import java.util.List;

/** Where a pod's ConfigMaps, Secrets, Services, claimed volumes and RuntimeClass are read from; null when absent. */
public interface ObjectSource {
    ConfigMap configMap(String namespace, String name);

    Secret secret(String namespace, String name);

    List<Service> services(String namespace);

    default io.fabric8.kubernetes.api.model.PersistentVolumeClaim persistentVolumeClaim(String namespace, String name) {
        return null;
    }

    default io.fabric8.kubernetes.api.model.PersistentVolume persistentVolume(String name) {
        return null;
    }

    /** A node.k8s.io/v1 RuntimeClass (cluster-scoped), which names the CRI handler a pod's sandbox runs under. */
    default io.fabric8.kubernetes.api.model.node.v1.RuntimeClass runtimeClass(String name) {
        return null;
    }
}

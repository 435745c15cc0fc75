package io.kube4j.kubelet.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;

import java.util.List;

/** Where a pod's ConfigMaps, Secrets and Services are read from; null when absent. */
public interface ObjectSource {
    ConfigMap configMap(String namespace, String name);

    Secret secret(String namespace, String name);

    List<Service> services(String namespace);
}

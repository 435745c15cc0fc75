package io.kube4j.kubelet.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.List;

/**
 * ConfigMaps and Secrets read through the API on use (so changes are seen); Services from an informer; RuntimeClasses
 * from an informer too, as upstream's runtimeclass manager reads them, with a GET on a miss: a class created just
 * before its pod may not have reached the informer yet, and a pod must not fail for that.
 */
public final class ApiObjectSource implements ObjectSource {
    private final KubernetesClient client;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<io.fabric8.kubernetes.api.model.node.v1.RuntimeClass> runtimeClasses;

    /** @param runtimeClasses null: every RuntimeClass is read with a GET */
    public ApiObjectSource(KubernetesClient client, SharedIndexInformer<Service> services,
                           SharedIndexInformer<io.fabric8.kubernetes.api.model.node.v1.RuntimeClass> runtimeClasses) {
        this.client = client;
        this.services = services;
        this.runtimeClasses = runtimeClasses;
    }

    @Override
    public ConfigMap configMap(String namespace, String name) {
        return client.configMaps().inNamespace(namespace).withName(name).get();
    }

    @Override
    public Secret secret(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    @Override
    public io.fabric8.kubernetes.api.model.PersistentVolumeClaim persistentVolumeClaim(String namespace, String name) {
        return client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
    }

    @Override
    public io.fabric8.kubernetes.api.model.PersistentVolume persistentVolume(String name) {
        return client.persistentVolumes().withName(name).get();
    }

    @Override
    public io.fabric8.kubernetes.api.model.node.v1.RuntimeClass runtimeClass(String name) {
        if (runtimeClasses != null) {
            // cluster-scoped: the store's key is the name
            var cached = runtimeClasses.getStore().getByKey(name);
            if (cached != null) {
                return cached;
            }
        }
        return client.runtimeClasses().withName(name).get();
    }

    @Override
    public List<Service> services(String namespace) {
        if (services == null) {
            return List.of();
        }
        return services.getStore().list();
    }
}

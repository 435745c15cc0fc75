package io.kube4j.proxy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.proxy.cache.InformedResource;
import io.kube4j.proxy.cache.SharedInformers;

import java.util.List;

/**
 * The pods and namespaces NetworkPolicy rules select from, informed only while some NetworkPolicy exists. Without a
 * policy the rules are empty whatever the pods are, and watching every pod of the cluster would decode each status
 * change of each pod for nothing: on a worker without cluster DNS nothing else in the JVM watches all pods (the
 * kubelet watches its own node's). The proxy holds them when it computes rules for some policy and releases them when
 * the last policy is gone; holding them afresh lists them, so the rules never come from a cache that missed events.
 */
final class PolicyInputs implements AutoCloseable {

    private final KubernetesClient client;
    private final ResourceEventHandler<Object> onChange;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Namespace> namespaces;

    /** @param onChange told of every pod and namespace change while they are held */
    PolicyInputs(KubernetesClient client, ResourceEventHandler<Object> onChange) {
        this.client = client;
        this.onChange = onChange;
    }

    /** Leases the shared pod and namespace informers unless held, and waits for their first list. */
    synchronized void hold() {
        if (pods != null) {
            return;
        }
        SharedIndexInformer<Pod> p = lease(InformedResource.PODS);
        try {
            namespaces = lease(InformedResource.NAMESPACES);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        pods = p;
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> SharedIndexInformer<T> lease(InformedResource<T> resource) {
        SharedIndexInformer<T> informer = SharedInformers.lease(client, resource);
        try {
            return informer.addEventHandler((ResourceEventHandler<T>) (ResourceEventHandler<?>) onChange).run();
        } catch (RuntimeException e) {
            informer.close();
            throw e;
        }
    }

    synchronized boolean held() {
        return pods != null;
    }

    /** The pods, trimmed as {@link io.kube4j.proxy.cache.Trimmed#pod}; held first. */
    synchronized List<Pod> pods() {
        requireHeld();
        return pods.getStore().list();
    }

    /** The namespaces, trimmed as {@link io.kube4j.proxy.cache.Trimmed#namespace}; held first. */
    synchronized List<Namespace> namespaces() {
        requireHeld();
        return namespaces.getStore().list();
    }

    private void requireHeld() {
        if (pods == null) {
            throw new IllegalStateException("the NetworkPolicy inputs are read while not held");
        }
    }

    /** Gives the leases up (the informers stop unless cluster DNS reads them too). */
    @Override
    public synchronized void close() {
        if (pods != null) {
            pods.close();
            namespaces.close();
            pods = null;
            namespaces = null;
        }
    }
}

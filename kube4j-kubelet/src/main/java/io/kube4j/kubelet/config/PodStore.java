package io.kube4j.kubelet.config;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The item store of the kubelet's pod informer: the pods as decoded, without metadata.managedFields. The kubelet
 * never reads them, and decoded they are a tree of maps (one per field path a manager owns: the pod's creator and the
 * kubelet's own status updates) - the largest part of a cached Pod. fabric8's informer puts an object before it hands
 * it to the event handlers, so the pod workers keep the same lean objects.
 */
public final class PodStore implements ItemStore<Pod> {

    private final Map<String, Pod> pods = new ConcurrentHashMap<>();

    @Override
    public String getKey(Pod pod) {
        return Cache.metaNamespaceKeyFunc(pod);
    }

    @Override
    public Pod put(String key, Pod pod) {
        if (pod.getMetadata() != null) {
            pod.getMetadata().setManagedFields(null);
        }
        return pods.put(key, pod);
    }

    @Override
    public Pod remove(String key) {
        return pods.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return pods.keySet().stream();
    }

    @Override
    public Stream<Pod> values() {
        return pods.values().stream();
    }

    @Override
    public int size() {
        return pods.size();
    }

    @Override
    public Pod get(String key) {
        return pods.get(key);
    }
}

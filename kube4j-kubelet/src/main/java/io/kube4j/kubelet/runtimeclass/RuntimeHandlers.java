package io.kube4j.kubelet.runtimeclass;

import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.kubelet.env.ObjectSource;

/**
 * Which CRI runtime handler a pod's sandbox runs under (upstream's runtimeclass.Manager LookupRuntimeHandler): the
 * handler of the RuntimeClass the pod names, or "" (the runtime's default) when it names none. The class is looked
 * up on every sandbox creation (from the kubelet's RuntimeClass informer, the API on a miss), so a class created
 * after the pod is found at the next attempt.
 */
public final class RuntimeHandlers {
    private final ObjectSource objects;

    public RuntimeHandlers(ObjectSource objects) {
        this.objects = objects;
    }

    /** @throws LookupException when the class is missing or cannot be read: the pod must not fall back to the default */
    public String lookup(String runtimeClassName) throws LookupException {
        if (runtimeClassName == null || runtimeClassName.isEmpty()) {
            return "";
        }
        RuntimeClass runtimeClass;
        try {
            runtimeClass = objects.runtimeClass(runtimeClassName);
        } catch (KubernetesClientException e) {
            throw new LookupException("failed to lookup RuntimeClass " + runtimeClassName + ": " + e.getMessage());
        }
        if (runtimeClass == null) {
            // upstream's lister NotFound error, which its FailedCreatePodSandBox event quotes
            throw new LookupException("runtimeclass.node.k8s.io \"" + runtimeClassName + "\" not found");
        }
        return runtimeClass.getHandler() == null ? "" : runtimeClass.getHandler();
    }

    /** The pod's RuntimeClass cannot be resolved to a handler; the message is upstream's error text. */
    public static final class LookupException extends Exception {
        LookupException(String message) {
            super(message);
        }
    }
}

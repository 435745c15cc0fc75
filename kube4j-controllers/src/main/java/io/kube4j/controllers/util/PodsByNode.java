package io.kube4j.controllers.util;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.controllers.framework.Informers;
import java.util.List;
import java.util.Map;

/** An index of the shared pod informer by spec.nodeName, added once for every controller that needs it. */
public final class PodsByNode {
    static final String INDEX = "spec.nodeName";

    private PodsByNode() {
    }

    public static void ensureIndex(Informers informers) {
        SharedIndexInformer<Pod> pods = informers.of(Pod.class);
        synchronized (pods) {
            if (!pods.getIndexer().getIndexers().containsKey(INDEX)) {
                pods.addIndexers(Map.of(INDEX, p -> p.getSpec() == null || p.getSpec().getNodeName() == null
                        ? List.of() : List.of(p.getSpec().getNodeName())));
            }
        }
    }

    public static List<Pod> on(Informers informers, String nodeName) {
        return informers.of(Pod.class).getIndexer().byIndex(INDEX, nodeName);
    }
}

package io.kube4j.controllers.util;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.controllers.framework.Informers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An index of the pod cache by controller: a pod is filed under its controller's UID, or, without a
 * controller, as an orphan of its namespace. A controller's sync then looks at its own pods and the orphans
 * it might adopt instead of every pod of the namespace, which keeps a sync's cost independent of how many
 * other workloads share the namespace (10,000 pods in one namespace made each ReplicaSet sync scan them all).
 */
public final class PodsByController {
    static final String INDEX = "kube4j.io/controller-uid";
    private static final String ORPHAN_PREFIX = "orphan/";

    private PodsByController() {
    }

    public static void ensureIndex(Informers informers) {
        SharedIndexInformer<Pod> pods = informers.of(Pod.class);
        synchronized (pods) {
            if (!pods.getIndexer().getIndexers().containsKey(INDEX)) {
                pods.addIndexers(Map.of(INDEX, PodsByController::indexKeys));
            }
        }
    }

    private static List<String> indexKeys(Pod p) {
        OwnerReference ref = OwnerRefs.controllerOf(p);
        if (ref != null && ref.getUid() != null) {
            return List.of(ref.getUid());
        }
        return List.of(ORPHAN_PREFIX + p.getMetadata().getNamespace());
    }

    /** The pods whose controller is the object with this UID. */
    public static List<Pod> ownedBy(Informers informers, String uid) {
        return informers.of(Pod.class).getIndexer().byIndex(INDEX, uid);
    }

    /** The pods a controller may claim: its own and the namespace's orphans (pods of other controllers are never its). */
    public static List<Pod> claimable(Informers informers, String namespace, String uid) {
        List<Pod> result = new ArrayList<>(ownedBy(informers, uid));
        result.addAll(informers.of(Pod.class).getIndexer().byIndex(INDEX, ORPHAN_PREFIX + namespace));
        return result;
    }
}

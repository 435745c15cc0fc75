package io.kube4j.kubelet.pleg;

import io.kube4j.cri.v1.Container;
import io.kube4j.cri.v1.PodSandbox;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.kuberuntime.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Upstream's generic PLEG: relist the runtime periodically, compare with the last list, and wake the worker of every
 * pod whose sandboxes or containers changed state (a container that died on its own, a sandbox that went away).
 */
public final class GenericPleg {
    private static final Logger LOG = LoggerFactory.getLogger(GenericPleg.class);

    private final RuntimeClient cri;
    private final Consumer<String> podChanged;
    private Map<String, String> last = new HashMap<>();
    private volatile Instant lastRelist = Instant.EPOCH;

    public GenericPleg(RuntimeClient cri, Consumer<String> podChanged) {
        this.cri = cri;
        this.podChanged = podChanged;
    }

    /** One relist; call it every second. */
    public void relist() {
        Map<String, String> now = new HashMap<>();
        Map<String, String> podOf = new HashMap<>();
        try {
            for (PodSandbox s : cri.listPodSandboxes(Map.of())) {
                String uid = s.getLabelsOrDefault(Labels.POD_UID, s.getMetadata().getUid());
                now.put("s/" + s.getId(), s.getState().name());
                podOf.put("s/" + s.getId(), uid);
            }
            for (Container c : cri.listContainers(Map.of())) {
                String uid = c.getLabelsOrDefault(Labels.POD_UID, "");
                now.put("c/" + c.getId(), c.getState().name());
                podOf.put("c/" + c.getId(), uid);
            }
        } catch (RuntimeException e) {
            LOG.warn("relisting the runtime failed: {}", e.getMessage());
            return;
        }
        Set<String> changed = new HashSet<>();
        for (var e : now.entrySet()) {
            if (!e.getValue().equals(last.get(e.getKey()))) {
                changed.add(podOf.get(e.getKey()));
            }
        }
        for (String key : last.keySet()) {
            if (!now.containsKey(key)) {
                String uid = lastPodOf.get(key);
                if (uid != null) {
                    changed.add(uid);
                }
            }
        }
        last = now;
        lastPodOf = podOf;
        lastRelist = Instant.now();
        for (String uid : changed) {
            if (uid != null && !uid.isEmpty()) {
                podChanged.accept(uid);
            }
        }
    }

    private Map<String, String> lastPodOf = new HashMap<>();

    /** For the node's health: a PLEG that stopped relisting makes the node NotReady upstream. */
    public Instant lastRelist() {
        return lastRelist;
    }
}

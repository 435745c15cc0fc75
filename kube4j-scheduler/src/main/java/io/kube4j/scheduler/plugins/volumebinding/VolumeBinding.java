package io.kube4j.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.api.storage.VolumeMatching;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.EnqueueExtensions;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.Handle;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreBindPlugin;
import io.kube4j.scheduler.framework.PreFilterPlugin;
import io.kube4j.scheduler.framework.ReservePlugin;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.util.NodeSelectors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * PersistentVolumeClaims: bound claims restrict the pod to their volume's nodes; WaitForFirstConsumer claims
 * are matched to an available volume on the chosen node (or left to dynamic provisioning with the
 * selected-node annotation), and bound in PreBind.
 */
public final class VolumeBinding implements PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin, EnqueueExtensions {
    public static final String NAME = "VolumeBinding";
    public static final String UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
    public static final String NODE_CONFLICT = "node(s) had volume node affinity conflict";
    public static final String NO_VOLUME = "node(s) didn't find available persistent volumes to bind";
    static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
    static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";
    private static final String KEY = "PreFilter" + NAME;

    private final Handle handle;
    /** pod uid -> claim key -> chosen volume name (null for dynamic provisioning), between Reserve and PreBind. */
    private final Map<String, Map<String, String>> assumed = new ConcurrentHashMap<>();
    /** Volumes assumed for pods not yet bound, so two pods do not take the same one. */
    private final Set<String> assumedVolumes = ConcurrentHashMap.newKeySet();

    /** Notified on every claim event: PreBind waits on it for the claims it pre-bound to be bound. */
    private final Object claimEvents = new Object();

    public VolumeBinding(Handle handle) {
        this.handle = handle;
        handle.onClaimChange(() -> {
            synchronized (claimEvents) {
                claimEvents.notifyAll();
            }
        });
    }

    @Override public String name() { return NAME; }

    record Claims(List<PersistentVolumeClaim> bound, List<PersistentVolumeClaim> toBind) {}

    static List<String> claimNames(PodInfo pod) {
        List<String> out = new ArrayList<>();
        List<Volume> vols = pod.pod().getSpec().getVolumes();
        if (vols == null) return out;
        for (Volume v : vols) {
            if (v.getPersistentVolumeClaim() != null) out.add(v.getPersistentVolumeClaim().getClaimName());
            else if (v.getEphemeral() != null) out.add(pod.name() + "-" + v.getName());
        }
        return out;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        List<String> names = claimNames(pod);
        if (names.isEmpty()) return Status.skip();
        List<PersistentVolumeClaim> bound = new ArrayList<>();
        List<PersistentVolumeClaim> toBind = new ArrayList<>();
        for (String n : names) {
            PersistentVolumeClaim c = handle.pvc(pod.namespace(), n);
            if (c == null) return Status.unresolvable("persistentvolumeclaim \"" + n + "\" not found");
            if (c.getMetadata().getDeletionTimestamp() != null) return Status.unresolvable("persistentvolumeclaim \"" + n + "\" is being deleted");
            String vol = c.getSpec() == null ? null : c.getSpec().getVolumeName();
            if (vol != null && !vol.isEmpty()) {
                bound.add(c);
            } else if (waitForFirstConsumer(c)) {
                toBind.add(c);
            } else {
                return Status.unresolvable(UNBOUND_IMMEDIATE);
            }
        }
        state.write(KEY, new Claims(bound, toBind));
        return Status.success();
    }

    private boolean waitForFirstConsumer(PersistentVolumeClaim c) {
        StorageClass sc = storageClass(c);
        return sc != null && "WaitForFirstConsumer".equals(sc.getVolumeBindingMode());
    }

    private StorageClass storageClass(PersistentVolumeClaim c) {
        String name = c.getSpec() == null ? null : c.getSpec().getStorageClassName();
        return name == null ? null : handle.storageClass(name);
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        Claims claims = state.read(KEY);
        if (claims == null) return Status.success();
        for (PersistentVolumeClaim c : claims.bound()) {
            PersistentVolume pv = findVolume(c.getSpec().getVolumeName());
            if (pv != null && !volumeFitsNode(pv, node)) return Status.unresolvable(NODE_CONFLICT);
        }
        Set<String> taken = new HashSet<>();
        for (PersistentVolumeClaim c : claims.toBind()) {
            PersistentVolume pv = matchVolume(c, node, taken);
            if (pv != null) {
                taken.add(pv.getMetadata().getName());
                continue;
            }
            StorageClass sc = storageClass(c);
            if (sc == null || sc.getProvisioner() == null || NO_PROVISIONER.equals(sc.getProvisioner())) return Status.unresolvable(NO_VOLUME);
            if (sc.getAllowedTopologies() != null && !sc.getAllowedTopologies().isEmpty()) {
                boolean allowed = false;
                for (var term : sc.getAllowedTopologies()) {
                    boolean all = true;
                    for (var req : term.getMatchLabelExpressions()) {
                        String v = node.label(req.getKey());
                        if (v == null || req.getValues() == null || !req.getValues().contains(v)) all = false;
                    }
                    if (all) { allowed = true; break; }
                }
                if (!allowed) return Status.unresolvable(NO_VOLUME);
            }
        }
        return Status.success();
    }

    private PersistentVolume findVolume(String name) {
        for (PersistentVolume pv : handle.persistentVolumes()) if (pv.getMetadata().getName().equals(name)) return pv;
        return null;
    }

    static boolean volumeFitsNode(PersistentVolume pv, NodeInfo node) {
        if (pv.getSpec() == null || pv.getSpec().getNodeAffinity() == null || pv.getSpec().getNodeAffinity().getRequired() == null) return true;
        return NodeSelectors.matches(pv.getSpec().getNodeAffinity().getRequired(), node.node());
    }

    /**
     * The volume the claim gets on this node, chosen as the PV controller chooses (kube4j-api's VolumeMatching):
     * volumes taken by the pod's other claims or assumed for other pods are left out.
     */
    PersistentVolume matchVolume(PersistentVolumeClaim c, NodeInfo node, Set<String> taken) {
        Set<String> excluded = new HashSet<>(taken);
        excluded.addAll(assumedVolumes);
        return VolumeMatching.findMatchingVolume(c, handle.persistentVolumes(), pv -> volumeFitsNode(pv, node), excluded);
    }

    @Override
    public Status reserve(CycleState state, PodInfo pod, String nodeName) {
        Claims claims = state.read(KEY);
        if (claims == null || claims.toBind().isEmpty()) return Status.success();
        NodeInfo node = handle.snapshot().get(nodeName);
        Map<String, String> choice = new ConcurrentHashMap<>();
        Set<String> taken = new HashSet<>();
        for (PersistentVolumeClaim c : claims.toBind()) {
            PersistentVolume pv = node == null ? null : matchVolume(c, node, taken);
            String key = c.getMetadata().getName();
            if (pv != null) {
                taken.add(pv.getMetadata().getName());
                assumedVolumes.add(pv.getMetadata().getName());
                choice.put(key, pv.getMetadata().getName());
            } else {
                choice.put(key, "");
            }
        }
        assumed.put(pod.uid(), choice);
        return Status.success();
    }

    @Override
    public void unreserve(CycleState state, PodInfo pod, String nodeName) {
        Map<String, String> choice = assumed.remove(pod.uid());
        if (choice != null) choice.values().forEach(assumedVolumes::remove);
    }

    @Override
    public Status preBind(CycleState state, PodInfo pod, String nodeName) {
        Map<String, String> choice = assumed.remove(pod.uid());
        if (choice == null) return Status.success();
        KubernetesClient client = handle.client();
        try {
            for (Map.Entry<String, String> e : choice.entrySet()) {
                String claim = e.getKey();
                String volume = e.getValue();
                if (client == null) continue;
                if (volume.isEmpty()) {
                    client.persistentVolumeClaims().inNamespace(pod.namespace()).withName(claim)
                            .edit(c -> new PersistentVolumeClaimBuilder(c).editMetadata().addToAnnotations(SELECTED_NODE, nodeName).endMetadata().build());
                } else {
                    // As upstream, the scheduler only pre-binds the volume; the PV controller binds the claim to it.
                    PersistentVolumeClaim c = client.persistentVolumeClaims().inNamespace(pod.namespace()).withName(claim).get();
                    client.persistentVolumes().withName(volume).edit(pv -> new PersistentVolumeBuilder(pv).editSpec().withNewClaimRef()
                            .withKind("PersistentVolumeClaim").withApiVersion("v1").withNamespace(pod.namespace()).withName(claim)
                            .withUid(c == null ? null : c.getMetadata().getUid()).endClaimRef().endSpec()
                            .editMetadata().addToAnnotations("pv.kubernetes.io/bound-by-controller", "yes").endMetadata().build());
                }
            }
            // upstream's checkBindings: the pod is bound only once the controller completed every claim's binding
            for (Map.Entry<String, String> e : choice.entrySet()) {
                if (client != null && !e.getValue().isEmpty()
                        && !awaitClaimBound(pod.namespace(), e.getKey(), e.getValue(), TimeUnit.MILLISECONDS.toNanos(BIND_TIMEOUT_MILLIS))) {
                    return Status.error("binding volumes: timed out waiting for the condition");
                }
            }
            return Status.success();
        } catch (RuntimeException ex) {
            return Status.error("binding volumes: " + ex.getMessage());
        } finally {
            choice.values().forEach(assumedVolumes::remove);
        }
    }

    /** Upstream's bindTimeoutSeconds (600 s): how long PreBind waits for the PV controller to bind a claim. */
    static final long BIND_TIMEOUT_MILLIS = 600_000;

    /**
     * Waits until the claim is bound to {@code volume} (the PV controller set volumeName and bind-completed),
     * re-reading it from the lister on each claim event rather than on a clock; false at the timeout.
     */
    boolean awaitClaimBound(String namespace, String claim, String volume, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (claimEvents) {
            // an event between this check and the wait cannot be missed: its notify needs the monitor held here
            while (!bound(handle.pvc(namespace, claim), volume)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(claimEvents, left);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private static boolean bound(PersistentVolumeClaim c, String volume) {
        return c != null && c.getSpec() != null && volume.equals(c.getSpec().getVolumeName())
                && c.getMetadata().getAnnotations() != null
                && c.getMetadata().getAnnotations().containsKey("pv.kubernetes.io/bind-completed");
    }

    @Override
    public Set<ClusterEvent> eventsToRegister() {
        return Set.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE, ClusterEvent.PVC_CHANGE, ClusterEvent.PV_CHANGE, ClusterEvent.STORAGE_CLASS_CHANGE);
    }
}

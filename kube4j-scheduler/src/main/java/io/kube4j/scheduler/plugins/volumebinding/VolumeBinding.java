package io.kube4j.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import io.kube4j.scheduler.util.Quantities;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

    public VolumeBinding(Handle handle) { this.handle = handle; }

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

    /** The smallest available volume of the claim's class, size and access modes that the node can reach. */
    PersistentVolume matchVolume(PersistentVolumeClaim c, NodeInfo node, Set<String> taken) {
        String cls = c.getSpec().getStorageClassName();
        Quantity q = c.getSpec().getResources() == null || c.getSpec().getResources().getRequests() == null ? null
                : c.getSpec().getResources().getRequests().get("storage");
        long want = Quantities.value(q);
        List<String> modes = c.getSpec().getAccessModes() == null ? List.of() : c.getSpec().getAccessModes();
        PersistentVolume best = null;
        long bestSize = Long.MAX_VALUE;
        for (PersistentVolume pv : handle.persistentVolumes()) {
            String name = pv.getMetadata().getName();
            if (taken.contains(name) || assumedVolumes.contains(name)) continue;
            if (pv.getSpec() == null || pv.getSpec().getClaimRef() != null) continue;
            if (pv.getStatus() != null && pv.getStatus().getPhase() != null && !"Available".equals(pv.getStatus().getPhase())) continue;
            if (cls != null && !cls.equals(pv.getSpec().getStorageClassName())) continue;
            if (pv.getSpec().getAccessModes() == null || !pv.getSpec().getAccessModes().containsAll(modes)) continue;
            long size = pv.getSpec().getCapacity() == null ? 0 : Quantities.value(pv.getSpec().getCapacity().get("storage"));
            if (size < want || !volumeFitsNode(pv, node)) continue;
            if (size < bestSize) {
                best = pv;
                bestSize = size;
            }
        }
        return best;
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
                if (client != null && !e.getValue().isEmpty() && !awaitClaimBound(pod.namespace(), e.getKey(), e.getValue())) {
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

    private boolean awaitClaimBound(String namespace, String claim, String volume) {
        long deadline = System.nanoTime() + BIND_TIMEOUT_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            PersistentVolumeClaim c = handle.pvc(namespace, claim);
            if (c != null && volume.equals(c.getSpec().getVolumeName()) && c.getMetadata().getAnnotations() != null
                    && c.getMetadata().getAnnotations().containsKey("pv.kubernetes.io/bind-completed")) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public Set<ClusterEvent> eventsToRegister() {
        return Set.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE, ClusterEvent.PVC_CHANGE, ClusterEvent.PV_CHANGE, ClusterEvent.STORAGE_CLASS_CHANGE);
    }
}

package io.kube4j.scheduler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.scheduler.framework.Handle;
import io.kube4j.scheduler.framework.runtime.ClusterListers;
import io.kube4j.scheduler.util.Selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cluster objects the plugins read (spreading defaults, namespace selectors, PDBs) from informer caches. */
final class InformerListers implements ClusterListers {
    SharedIndexInformer<Namespace> namespaces;
    SharedIndexInformer<Service> services;
    SharedIndexInformer<ReplicaSet> replicaSets;
    SharedIndexInformer<StatefulSet> statefulSets;
    SharedIndexInformer<PodDisruptionBudget> pdbs;
    SharedIndexInformer<io.fabric8.kubernetes.api.model.PersistentVolumeClaim> pvcs;
    SharedIndexInformer<io.fabric8.kubernetes.api.model.PersistentVolume> pvs;
    SharedIndexInformer<io.fabric8.kubernetes.api.model.storage.StorageClass> storageClasses;
    private final List<Runnable> claimListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public io.fabric8.kubernetes.api.model.PersistentVolumeClaim pvc(String namespace, String name) {
        return pvcs == null ? null : pvcs.getStore().getByKey(namespace + "/" + name);
    }

    @Override
    public void onClaimChange(Runnable listener) {
        claimListeners.add(listener);
    }

    /** The handler that tells the claim listeners of each claim event; the informer's store already holds it. */
    io.fabric8.kubernetes.client.informers.ResourceEventHandler<io.fabric8.kubernetes.api.model.PersistentVolumeClaim> claimEvents() {
        return new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
            @Override public void onAdd(io.fabric8.kubernetes.api.model.PersistentVolumeClaim c) { claimListeners.forEach(Runnable::run); }
            @Override public void onUpdate(io.fabric8.kubernetes.api.model.PersistentVolumeClaim o, io.fabric8.kubernetes.api.model.PersistentVolumeClaim n) { claimListeners.forEach(Runnable::run); }
            @Override public void onDelete(io.fabric8.kubernetes.api.model.PersistentVolumeClaim c, boolean unknown) { claimListeners.forEach(Runnable::run); }
        };
    }

    @Override
    public List<io.fabric8.kubernetes.api.model.PersistentVolume> persistentVolumes() {
        return pvs == null ? List.of() : pvs.getStore().list();
    }

    @Override
    public io.fabric8.kubernetes.api.model.storage.StorageClass storageClass(String name) {
        return storageClasses == null ? null : storageClasses.getStore().getByKey(name);
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        if (namespaces == null) return null;
        Namespace ns = namespaces.getStore().getByKey(namespace);
        return ns == null ? null : ns.getMetadata().getLabels();
    }

    @Override
    public List<Selector> ownerSelectors(Pod pod) {
        List<Selector> out = new ArrayList<>();
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (labels == null || labels.isEmpty()) return out;
        if (services != null) {
            for (Service s : services.getStore().list()) {
                if (!ns.equals(s.getMetadata().getNamespace()) || s.getSpec() == null) continue;
                Selector sel = Selector.ofMap(s.getSpec().getSelector());
                if (sel.matches(labels)) out.add(sel);
            }
        }
        if (replicaSets != null) {
            for (ReplicaSet rs : replicaSets.getStore().list()) {
                if (!ns.equals(rs.getMetadata().getNamespace()) || rs.getSpec() == null || rs.getSpec().getSelector() == null) continue;
                Selector sel = Selector.of(rs.getSpec().getSelector());
                if (!sel.isEmpty() && sel.matches(labels)) out.add(sel);
            }
        }
        if (statefulSets != null) {
            for (StatefulSet ss : statefulSets.getStore().list()) {
                if (!ns.equals(ss.getMetadata().getNamespace()) || ss.getSpec() == null || ss.getSpec().getSelector() == null) continue;
                Selector sel = Selector.of(ss.getSpec().getSelector());
                if (!sel.isEmpty() && sel.matches(labels)) out.add(sel);
            }
        }
        return out;
    }

    @Override
    public List<Handle.DisruptionBudget> disruptionBudgets() {
        if (pdbs == null) return List.of();
        List<Handle.DisruptionBudget> out = new ArrayList<>();
        for (PodDisruptionBudget p : pdbs.getStore().list()) {
            int allowed = p.getStatus() == null || p.getStatus().getDisruptionsAllowed() == null ? 0 : p.getStatus().getDisruptionsAllowed();
            Selector sel = p.getSpec() == null ? Selector.NOTHING : Selector.of(p.getSpec().getSelector());
            out.add(new Handle.DisruptionBudget(p.getMetadata().getNamespace(), p.getMetadata().getName(), sel, allowed));
        }
        return out;
    }
}

package io.kube4j.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.OwnerReferencePatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Deletes objects whose owners are gone and carries out the three propagation policies:
 * background (dependents of a vanished owner are deleted), foreground (an owner with the
 * {@code foregroundDeletion} finalizer waits until no dependent with blockOwnerDeletion remains)
 * and orphan (an owner with the {@code orphan} finalizer has its references stripped from its
 * dependents before it goes). The ownership graph is read from informer indexes, never copied.
 *
 * <p>Keys are {@code Kind|namespace/name}.
 */
public final class GarbageCollector extends Controller {
    public static final String FOREGROUND = "foregroundDeletion";
    public static final String ORPHAN = "orphan";
    static final String OWNER_INDEX = "gc-owner-uid";

    private final KubernetesClient client;
    private final Informers informers;
    private final OwnerReferencePatcher patcher;
    private final Map<String, GcResource> byKind = new LinkedHashMap<>();

    public GarbageCollector(ControllerContext ctx) {
        this(ctx, GcResources.builtins());
    }

    public GarbageCollector(ControllerContext ctx, List<GcResource> resources) {
        super("garbage-collector-controller", ctx.options().concurrentGcSyncs());
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.patcher = new OwnerReferencePatcher(client);
        for (GcResource r : resources) {
            byKind.put(r.kind(), r);
            watch(r);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void watch(GcResource r) {
        SharedIndexInformer informer = informers.of(r.type());
        informer.addIndexers(Map.of(OWNER_INDEX, (java.util.function.Function<HasMetadata, List<String>>) obj -> {
            List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
            return refs == null ? List.of() : refs.stream().map(OwnerReference::getUid).filter(Objects::nonNull).toList();
        }));
        informer.addEventHandler(Handlers.<HasMetadata>of(
                obj -> changed(r, null, obj),
                (old, cur) -> changed(r, old, cur),
                obj -> deleted(obj)));
    }

    static String key(GcResource r, HasMetadata obj) {
        return r.kind() + "|" + Keys.of(obj);
    }

    private void changed(GcResource r, HasMetadata old, HasMetadata cur) {
        boolean hasOwners = cur.getMetadata().getOwnerReferences() != null && !cur.getMetadata().getOwnerReferences().isEmpty();
        boolean deletingWithFinalizer = cur.getMetadata().getDeletionTimestamp() != null
                && (hasFinalizer(cur, FOREGROUND) || hasFinalizer(cur, ORPHAN));
        if (deletingWithFinalizer) {
            enqueue(key(r, cur));
            return;
        }
        if (hasOwners && (old == null
                || !Objects.equals(old.getMetadata().getOwnerReferences(), cur.getMetadata().getOwnerReferences()))) {
            enqueue(key(r, cur));
        }
    }

    private void deleted(HasMetadata obj) {
        // Dependents of a vanished owner may now be dangling.
        for (Map.Entry<GcResource, HasMetadata> dep : dependents(obj.getMetadata().getUid())) {
            enqueue(key(dep.getKey(), dep.getValue()));
        }
        // An owner deleting in the foreground may have been waiting for this one.
        if (obj.getMetadata().getOwnerReferences() != null) {
            for (OwnerReference ref : obj.getMetadata().getOwnerReferences()) {
                GcResource r = byKind.get(ref.getKind());
                if (r == null) {
                    continue;
                }
                HasMetadata owner = informers.get(r.type(), Keys.of(r.namespaced() ? obj.getMetadata().getNamespace() : null,
                        ref.getName()));
                if (owner != null && owner.getMetadata().getDeletionTimestamp() != null) {
                    enqueue(key(r, owner));
                }
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Map.Entry<GcResource, HasMetadata>> dependents(String ownerUid) {
        List<Map.Entry<GcResource, HasMetadata>> result = new ArrayList<>();
        if (ownerUid == null) {
            return result;
        }
        for (GcResource r : byKind.values()) {
            SharedIndexInformer informer = informers.of(r.type());
            List<HasMetadata> deps = informer.getIndexer().byIndex(OWNER_INDEX, ownerUid);
            for (HasMetadata d : deps) {
                result.add(Map.entry(r, d));
            }
        }
        return result;
    }

    static boolean hasFinalizer(HasMetadata obj, String finalizer) {
        return obj.getMetadata().getFinalizers() != null && obj.getMetadata().getFinalizers().contains(finalizer);
    }

    @Override
    public void sync(String key) throws Exception {
        int bar = key.indexOf('|');
        GcResource r = byKind.get(key.substring(0, bar));
        if (r == null) {
            return;
        }
        HasMetadata obj = informers.get(r.type(), key.substring(bar + 1));
        if (obj == null) {
            return;
        }
        if (obj.getMetadata().getDeletionTimestamp() != null) {
            if (hasFinalizer(obj, ORPHAN)) {
                orphanDependents(obj);
            } else if (hasFinalizer(obj, FOREGROUND)) {
                processDeletingDependents(r, obj);
            }
            return;
        }
        attemptToDelete(r, obj);
    }

    private void orphanDependents(HasMetadata owner) {
        String uid = owner.getMetadata().getUid();
        for (Map.Entry<GcResource, HasMetadata> dep : dependents(uid)) {
            HasMetadata d = dep.getValue();
            List<OwnerReference> refs = new ArrayList<>(d.getMetadata().getOwnerReferences());
            refs.removeIf(ref -> uid.equals(ref.getUid()));
            try {
                patcher.setOwnerReferences(d, refs);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        removeFinalizer(owner, ORPHAN);
    }

    private void processDeletingDependents(GcResource r, HasMetadata owner) {
        String uid = owner.getMetadata().getUid();
        boolean blocked = false;
        for (Map.Entry<GcResource, HasMetadata> dep : dependents(uid)) {
            HasMetadata d = dep.getValue();
            OwnerReference ref = d.getMetadata().getOwnerReferences().stream()
                    .filter(x -> uid.equals(x.getUid())).findFirst().orElse(null);
            if (ref != null && Boolean.TRUE.equals(ref.getBlockOwnerDeletion())) {
                blocked = true;
            }
            if (d.getMetadata().getDeletionTimestamp() == null) {
                enqueue(key(dep.getKey(), d));
            }
        }
        if (!blocked) {
            removeFinalizer(owner, FOREGROUND);
        }
    }

    private void removeFinalizer(HasMetadata obj, String finalizer) {
        List<String> finalizers = new ArrayList<>(obj.getMetadata().getFinalizers());
        finalizers.remove(finalizer);
        try {
            patcher.setFinalizers(obj, finalizers);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void attemptToDelete(GcResource r, HasMetadata obj) {
        List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty()) {
            return;
        }
        List<OwnerReference> solid = new ArrayList<>();
        List<OwnerReference> dangling = new ArrayList<>();
        List<OwnerReference> waiting = new ArrayList<>();
        for (OwnerReference ref : refs) {
            switch (ownerState(ref, obj.getMetadata().getNamespace())) {
                case SOLID -> solid.add(ref);
                case DANGLING -> dangling.add(ref);
                case WAITING_FOR_DEPENDENTS -> waiting.add(ref);
                default -> { }
            }
        }
        if (!solid.isEmpty()) {
            if (dangling.isEmpty() && waiting.isEmpty()) {
                return;
            }
            // Still owned by someone alive: only drop the references to owners that are going away.
            List<OwnerReference> keep = new ArrayList<>(refs);
            keep.removeAll(dangling);
            keep.removeAll(waiting);
            patcher.setOwnerReferences(obj, keep);
            return;
        }
        DeletionPropagation policy;
        List<Map.Entry<GcResource, HasMetadata>> ownDependents = dependents(obj.getMetadata().getUid());
        if (!waiting.isEmpty() && !ownDependents.isEmpty()) {
            // Delete our own dependents first (foreground), and the waiting owner keeps waiting for us. Only when
            // one of our dependents is itself waiting for its dependents may this be a cycle (as upstream, a
            // cautious guess): then stop blocking our owners so that nobody waits forever.
            boolean maybeCycle = ownDependents.stream().anyMatch(dep -> dep.getValue().getMetadata().getDeletionTimestamp()
                    != null && hasFinalizer(dep.getValue(), FOREGROUND));
            List<OwnerReference> unblocked = new ArrayList<>();
            for (OwnerReference ref : refs) {
                if (waiting.contains(ref) && Boolean.TRUE.equals(ref.getBlockOwnerDeletion())) {
                    OwnerReference copy = new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder(ref)
                            .withBlockOwnerDeletion(false).build();
                    unblocked.add(copy);
                } else {
                    unblocked.add(ref);
                }
            }
            if (maybeCycle && !unblocked.equals(refs)) {
                patcher.setOwnerReferences(obj, unblocked);
            }
            policy = DeletionPropagation.FOREGROUND;
        } else if (hasFinalizer(obj, ORPHAN)) {
            policy = DeletionPropagation.ORPHAN;
        } else if (hasFinalizer(obj, FOREGROUND)) {
            policy = DeletionPropagation.FOREGROUND;
        } else {
            policy = DeletionPropagation.BACKGROUND;
        }
        delete(r, obj, policy);
    }

    private void delete(GcResource r, HasMetadata obj, DeletionPropagation policy) {
        Resource<HasMetadata> res = resourceOf(r, r.namespaced() ? obj.getMetadata().getNamespace() : null,
                obj.getMetadata().getName());
        try {
            HasMetadata live = res.get();
            if (live == null || !Objects.equals(live.getMetadata().getUid(), obj.getMetadata().getUid())) {
                return;
            }
            res.withPropagationPolicy(policy).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** Owner existence is confirmed against the API when the cache lacks it: the cache may lag a new owner. */
    OwnerState ownerState(OwnerReference ref, String dependentNamespace) {
        GcResource r = byKind.get(ref.getKind());
        String namespace = r == null || r.namespaced() ? dependentNamespace : null;
        HasMetadata owner = null;
        if (r != null && r.group().equals(GcResource.groupOf(ref.getApiVersion()))) {
            owner = informers.get(r.type(), Keys.of(namespace, ref.getName()));
            if (owner == null || !Objects.equals(owner.getMetadata().getUid(), ref.getUid())) {
                owner = liveTyped(r, namespace, ref.getName());
            }
        } else {
            try {
                owner = liveGeneric(ref, dependentNamespace);
            } catch (KubernetesClientException e) {
                // An owner kind the server cannot resolve: never delete on a guess.
                return OwnerState.SOLID;
            }
        }
        if (owner == null || !Objects.equals(owner.getMetadata().getUid(), ref.getUid())) {
            return OwnerState.DANGLING;
        }
        if (owner.getMetadata().getDeletionTimestamp() != null && hasFinalizer(owner, FOREGROUND)) {
            return OwnerState.WAITING_FOR_DEPENDENTS;
        }
        return OwnerState.SOLID;
    }

    private HasMetadata liveTyped(GcResource r, String namespace, String name) {
        return resourceOf(r, namespace, name).get();
    }

    @SuppressWarnings("unchecked")
    private Resource<HasMetadata> resourceOf(GcResource r, String namespace, String name) {
        MixedOperation<HasMetadata, KubernetesResourceList<HasMetadata>, Resource<HasMetadata>> op =
                client.resources((Class<HasMetadata>) r.type());
        return namespace == null ? op.withName(name) : op.inNamespace(namespace).withName(name);
    }

    private HasMetadata liveGeneric(OwnerReference ref, String namespace) {
        var op = client.genericKubernetesResources(ref.getApiVersion(), ref.getKind());
        GenericKubernetesResource owner = namespace == null ? op.withName(ref.getName()).get()
                : op.inNamespace(namespace).withName(ref.getName()).get();
        if (owner == null && namespace != null) {
            // A cluster-scoped owner of a namespaced dependent.
            owner = op.withName(ref.getName()).get();
        }
        return owner;
    }
}

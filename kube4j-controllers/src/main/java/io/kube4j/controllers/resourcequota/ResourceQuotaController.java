package io.kube4j.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.api.podresources.PodResourceLists;
import io.kube4j.api.podresources.PodTotals;
import io.kube4j.api.quota.QuotaResources;
import io.kube4j.api.quota.QuotaScopes;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.Times;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Computes status.used of every ResourceQuota from the objects in its namespace (counts, pod requests and limits, storage). */
public final class ResourceQuotaController extends Controller {
    /** count/<resource> names and the types they count. */
    static final Map<String, Class<? extends HasMetadata>> COUNTED = new LinkedHashMap<>();

    static {
        COUNTED.put("pods", Pod.class);
        COUNTED.put("services", Service.class);
        COUNTED.put("configmaps", ConfigMap.class);
        COUNTED.put("secrets", Secret.class);
        COUNTED.put("persistentvolumeclaims", PersistentVolumeClaim.class);
        COUNTED.put("replicationcontrollers", ReplicationController.class);
        COUNTED.put("resourcequotas", ResourceQuota.class);
        COUNTED.put("deployments.apps", Deployment.class);
        COUNTED.put("replicasets.apps", ReplicaSet.class);
        COUNTED.put("statefulsets.apps", StatefulSet.class);
        COUNTED.put("daemonsets.apps", DaemonSet.class);
        COUNTED.put("jobs.batch", Job.class);
        COUNTED.put("cronjobs.batch", CronJob.class);
    }

    private final KubernetesClient client;
    private final Informers informers;
    private final Clock clock;
    private final ObjectCounter others;
    /** Every quota is counted again this often (upstream's full resync). */
    private final Duration resync;

    public ResourceQuotaController(ControllerContext ctx) {
        super("resourcequota-controller", ctx.options().concurrentSyncs());
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.clock = ctx.clock();
        this.others = new ObjectCounter(client);
        this.resync = ctx.options().resourceQuotaSyncPeriod();
        // a quota is counted when it comes and when its limits change, not on status updates (upstream's
        // UpdateFunc): the API server's admission charges status.used before it stores the object charged, so a
        // count on that update would not see the object yet and would take the charge back
        informers.of(ResourceQuota.class).addEventHandler(Handlers.of(this::enqueue, (old, quota) -> {
            if (!Objects.equals(hard(old), hard(quota))) {
                enqueue(quota);
            }
        }, deleted -> { }));
        for (Class<? extends HasMetadata> type : COUNTED.values()) {
            if (type != ResourceQuota.class) {
                informers.of(type).addEventHandler(Handlers.of(this::namespaceChanged, (old, obj) -> {
                    if (usageMayChange(old, obj)) {
                        namespaceChanged(obj);
                    }
                }, this::namespaceChanged));
            }
        }
    }

    /**
     * The updates that change what an object is charged (upstream's quota monitor replenishes on these only): a
     * pod that stops being charged or starts terminating (its charge then ends with its grace period), a service
     * whose type changes (or its ports or allocateLoadBalancerNodePorts, which services.nodeports counts), a claim
     * whose storage request changes.
     * Creations are still counted, as the API server may run without admission (insecure mode) and then nothing
     * else charges them; deletions always are.
     */
    private boolean usageMayChange(HasMetadata old, HasMetadata obj) {
        Instant now = clock.instant();
        if (obj instanceof Pod pod && old instanceof Pod before) {
            return charged(before, now) && !charged(pod, now)
                    || before.getMetadata().getDeletionTimestamp() == null && pod.getMetadata().getDeletionTimestamp() != null;
        }
        if (obj instanceof Service service && old instanceof Service before) {
            return !Objects.equals(before.getSpec().getType(), service.getSpec().getType())
                    || !Objects.equals(before.getSpec().getPorts(), service.getSpec().getPorts())
                    || !Objects.equals(before.getSpec().getAllocateLoadBalancerNodePorts(),
                            service.getSpec().getAllocateLoadBalancerNodePorts());
        }
        if (obj instanceof PersistentVolumeClaim pvc && old instanceof PersistentVolumeClaim before) {
            return !Objects.equals(storage(before), storage(pvc));
        }
        return false;
    }

    private static Quantity storage(PersistentVolumeClaim pvc) {
        return pvc.getSpec() == null || pvc.getSpec().getResources() == null
                || pvc.getSpec().getResources().getRequests() == null ? null
                : pvc.getSpec().getResources().getRequests().get("storage");
    }

    private static Map<String, Quantity> hard(ResourceQuota quota) {
        return quota.getSpec() == null ? null : quota.getSpec().getHard();
    }

    private void namespaceChanged(HasMetadata obj) {
        String ns = obj.getMetadata().getNamespace();
        if (ns != null) {
            informers.inNamespace(ResourceQuota.class, ns).forEach(this::enqueue);
        }
    }

    @Override
    public void sync(String key) {
        ResourceQuota quota = informers.get(ResourceQuota.class, key);
        if (quota == null || quota.getSpec() == null || quota.getSpec().getHard() == null) {
            return;
        }
        String ns = Keys.namespace(key);
        Instant now = clock.instant();
        Map<String, Quantity> hard = new LinkedHashMap<>(quota.getSpec().getHard());
        // as upstream's syncResourceQuota: start from the last status, replace what could be counted (a resource no
        // evaluator knows, or whose list failed, keeps its last value), drop what is no longer limited
        Map<String, Quantity> used = new LinkedHashMap<>();
        if (quota.getStatus() != null && quota.getStatus().getUsed() != null) {
            used.putAll(quota.getStatus().getUsed());
        }
        List<RuntimeException> failed = new ArrayList<>();
        usage(hard.keySet(), ns, QuotaScopes.of(quota), now, failed)
                .forEach((name, value) -> used.put(name, QuantityFormat.format(value, binary(name))));
        used.keySet().retainAll(hard.keySet());
        // a pod stuck terminating stops being charged at a moment no event marks: count again then; and count every
        // quota again after the resync period anyway (upstream's full resync), which also sees deletions of kinds
        // the controller has no informer for
        Duration next = informers.inNamespace(Pod.class, ns).stream().map(ResourceQuotaController::chargedUntil)
                .filter(until -> until != null && until.isAfter(now)).min(Instant::compareTo)
                .map(until -> Duration.between(now, until).plusSeconds(1)).filter(d -> d.compareTo(resync) < 0)
                .orElse(resync);
        enqueueAfter(key, next);
        if (quota.getStatus() == null || !Objects.equals(quota.getStatus().getHard(), hard)
                || !Objects.equals(quota.getStatus().getUsed(), used)) {
            ResourceQuota copy = new ResourceQuotaBuilder(quota).withNewStatus().withHard(hard).withUsed(used)
                    .endStatus().build();
            client.resourceQuotas().inNamespace(ns).resource(copy).updateStatus();
        }
        // as upstream's syncResourceQuota: the usage that could be counted is written, then the sync fails, so the
        // quota is counted again after the work queue's back-off
        if (!failed.isEmpty()) {
            IllegalStateException error = new IllegalStateException("counting usage of quota " + key + ": "
                    + failed.stream().map(RuntimeException::getMessage).collect(Collectors.joining(", ")));
            failed.forEach(error::addSuppressed);
            throw error;
        }
    }

    /**
     * The usage of the named resources in a namespace, as upstream's CalculateUsage asks each evaluator: the pod
     * evaluator over the pods the scopes cover; the service, claim and object-count evaluators match no scope, so
     * a scoped quota counts 0 of them. Names no evaluator can count are left out, and so are names whose objects
     * could not be listed (upstream's CalculateUsage leaves out an evaluator that fails): their errors go to
     * {@code failed}.
     */
    Map<String, BigDecimal> usage(Set<String> names, String ns, List<QuotaScopes.Requirement> scopes, Instant now,
                                  List<RuntimeException> failed) {
        Map<String, BigDecimal> total = new HashMap<>();
        Set<String> pods = names.stream().filter(QuotaResources::podResource).collect(Collectors.toSet());
        if (!pods.isEmpty()) {
            for (Pod pod : informers.inNamespace(Pod.class, ns)) {
                if (QuotaScopes.podMatches(scopes, QuotaScopes.ScopedPod.of(pod))) {
                    podUsage(pod, now).forEach((name, value) -> total.merge(name, value, BigDecimal::add));
                }
            }
        }
        boolean scoped = !scopes.isEmpty();
        Set<String> claims = names.stream().filter(n -> !pods.contains(n) && QuotaResources.claimResource(n))
                .collect(Collectors.toSet());
        if (!claims.isEmpty() && !scoped) {
            for (PersistentVolumeClaim pvc : informers.inNamespace(PersistentVolumeClaim.class, ns)) {
                claimUsage(pvc).forEach((name, value) -> total.merge(name, value, BigDecimal::add));
            }
        }
        Map<String, BigDecimal> result = new HashMap<>();
        for (String name : names) {
            if (pods.contains(name) || claims.contains(name)) {
                result.put(name, total.getOrDefault(name, BigDecimal.ZERO));
            } else if (scoped) {
                result.put(name, BigDecimal.ZERO);
            } else {
                try {
                    BigDecimal n = count(name, ns);
                    if (n != null) {
                        result.put(name, n);
                    }
                } catch (KubernetesClientException e) {
                    failed.add(e);
                }
            }
        }
        return result;
    }

    /** The service evaluator's and the object count evaluators' usage of one name; null when none counts it. */
    private BigDecimal count(String name, String ns) {
        switch (name) {
            case "services.loadbalancers":
                return BigDecimal.valueOf(informers.inNamespace(Service.class, ns).stream()
                        .filter(s -> "LoadBalancer".equals(s.getSpec().getType())).count());
            case "services.nodeports":
                return BigDecimal.valueOf(informers.inNamespace(Service.class, ns).stream()
                        .mapToLong(s -> QuotaResources.serviceNodePorts(s.getSpec().getType(),
                                s.getSpec().getAllocateLoadBalancerNodePorts(), s.getSpec().getPorts() == null
                                        ? List.of() : s.getSpec().getPorts().stream().map(p -> p.getNodePort()).toList()))
                        .sum());
            default:
                break;
        }
        String counted = name.startsWith("count/") ? name.substring("count/".length()) : null;
        if (counted == null) {
            // the legacy names of counted core kinds ("configmaps", "secrets", ...)
            counted = COUNTED.containsKey(name) && !name.contains(".") ? name : null;
        }
        if (counted == null) {
            return null;
        }
        if (COUNTED.containsKey(counted)) {
            return BigDecimal.valueOf(informers.inNamespace(COUNTED.get(counted), ns).size());
        }
        return others.count(counted, ns);
    }

    /** One pod's usage (upstream's PodUsageFunc): always count/pods; "pods" and compute only while charged. */
    private static Map<String, BigDecimal> podUsage(Pod pod, Instant now) {
        Map<String, BigDecimal> usage = new HashMap<>();
        usage.put("count/pods", BigDecimal.ONE);
        if (charged(pod, now)) {
            usage.put("pods", BigDecimal.ONE);
            PodResourceLists lists = PodResourceLists.of(pod);
            QuotaResources.podCompute(PodTotals.amounts(PodTotals.requests(lists, PodTotals.Options.DEFAULT)),
                    PodTotals.amounts(PodTotals.limits(lists, PodTotals.Options.DEFAULT)), usage);
        }
        return usage;
    }

    /** One claim's usage (upstream's pvcEvaluator.Usage). */
    private static Map<String, BigDecimal> claimUsage(PersistentVolumeClaim pvc) {
        Map<String, BigDecimal> usage = new HashMap<>();
        usage.put("persistentvolumeclaims", BigDecimal.ONE);
        usage.put("count/persistentvolumeclaims", BigDecimal.ONE);
        var spec = pvc.getSpec();
        Quantity storage = spec == null || spec.getResources() == null || spec.getResources().getRequests() == null
                ? null : spec.getResources().getRequests().get("storage");
        QuotaResources.claim(QuotaResources.claimClass(pvc.getMetadata().getAnnotations(),
                        spec == null ? null : spec.getStorageClassName()),
                storage == null ? null : storage.getNumericalAmount().setScale(0, RoundingMode.CEILING),
                BigDecimal.ONE, usage);
        return usage;
    }

    /** Memory-like resources print with binary suffixes (256Mi), cpu, counts and extended resources in decimal. */
    private static boolean binary(String name) {
        return name.endsWith("memory") || name.endsWith("ephemeral-storage") || name.endsWith("storage")
                || name.contains("hugepages-");
    }

    /**
     * Whether a pod is charged to "pods" and compute resources (upstream's QuotaV1Pod): not once it has finished, nor
     * once its deletionTimestamp (when its grace period ends) is a further grace period past - a pod stuck terminating
     * on a lost node must not keep its owner from scaling up; until then a pod being deleted is charged.
     */
    private static boolean charged(Pod pod, Instant now) {
        if (Pods.isTerminal(pod)) {
            return false;
        }
        Instant until = chargedUntil(pod);
        return until == null || !now.isAfter(until);
    }

    /** When a terminating pod's charge ends (its deletionTimestamp plus its grace period), else null. */
    private static Instant chargedUntil(Pod pod) {
        Instant deletion = Times.parse(pod.getMetadata().getDeletionTimestamp());
        Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
        return deletion == null || grace == null || Pods.isTerminal(pod) ? null : deletion.plusSeconds(grace);
    }
}

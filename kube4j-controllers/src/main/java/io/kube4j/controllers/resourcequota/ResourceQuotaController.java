package io.kube4j.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
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
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.Times;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    public ResourceQuotaController(ControllerContext ctx) {
        super("resourcequota-controller", ctx.options().concurrentSyncs());
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.clock = ctx.clock();
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
                informers.of(type).addEventHandler(Handlers.any(this::namespaceChanged));
            }
        }
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
        Map<String, Quantity> used = new LinkedHashMap<>();
        for (String resource : quota.getSpec().getHard().keySet()) {
            used.put(resource, usage(resource, ns, now));
        }
        // a pod stuck terminating stops being charged at a moment no event marks: count again then (upstream's full
        // resync, every few minutes, would)
        informers.inNamespace(Pod.class, ns).stream().map(ResourceQuotaController::chargedUntil)
                .filter(until -> until != null && until.isAfter(now)).min(Instant::compareTo)
                .ifPresent(until -> enqueueAfter(key, Duration.between(now, until).plusSeconds(1)));
        Map<String, Quantity> hard = new LinkedHashMap<>(quota.getSpec().getHard());
        if (quota.getStatus() != null && Objects.equals(quota.getStatus().getHard(), hard)
                && Objects.equals(quota.getStatus().getUsed(), used)) {
            return;
        }
        ResourceQuota copy = new ResourceQuotaBuilder(quota).withNewStatus().withHard(hard).withUsed(used).endStatus().build();
        client.resourceQuotas().inNamespace(ns).resource(copy).updateStatus();
    }

    Quantity usage(String resource, String ns, Instant now) {
        String counted = resource.startsWith("count/") ? resource.substring("count/".length()) : resource;
        if (COUNTED.containsKey(counted)) {
            List<? extends HasMetadata> objects = informers.inNamespace(COUNTED.get(counted), ns);
            // count/pods counts every pod stored, "pods" only those still charged (upstream's PodUsageFunc)
            long n = resource.equals("pods") ? objects.stream().filter(o -> charged((Pod) o, now)).count()
                    : objects.size();
            return new Quantity(Long.toString(n));
        }
        switch (resource) {
            case "services.loadbalancers":
                return count(informers.inNamespace(Service.class, ns).stream()
                        .filter(s -> "LoadBalancer".equals(s.getSpec().getType())).count());
            case "services.nodeports":
                return count(informers.inNamespace(Service.class, ns).stream()
                        .filter(s -> "NodePort".equals(s.getSpec().getType()) || "LoadBalancer".equals(s.getSpec().getType()))
                        .mapToLong(s -> s.getSpec().getPorts() == null ? 0 : s.getSpec().getPorts().size()).sum());
            case "requests.storage":
                BigDecimal storage = BigDecimal.ZERO;
                for (PersistentVolumeClaim pvc : informers.inNamespace(PersistentVolumeClaim.class, ns)) {
                    if (pvc.getSpec() != null && pvc.getSpec().getResources() != null
                            && pvc.getSpec().getResources().getRequests() != null
                            && pvc.getSpec().getResources().getRequests().get("storage") != null) {
                        storage = storage.add(pvc.getSpec().getResources().getRequests().get("storage").getNumericalAmount());
                    }
                }
                return QuantityFormat.format(storage, true);
            default:
                break;
        }
        boolean limits = resource.startsWith("limits.");
        String name = resource.startsWith("requests.") ? resource.substring(9) : limits ? resource.substring(7) : resource;
        if (name.equals("cpu") || name.equals("memory") || name.equals("ephemeral-storage")) {
            BigDecimal sum = BigDecimal.ZERO;
            for (Pod p : informers.inNamespace(Pod.class, ns)) {
                if (charged(p, now)) {
                    sum = sum.add(podAmount(p, name, limits));
                }
            }
            return QuantityFormat.format(sum, !name.equals("cpu"));
        }
        return new Quantity("0");
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

    private static Quantity count(long n) {
        return new Quantity(Long.toString(n));
    }

    /** Effective pod request or limit: max(sum of containers, largest init container), plus overhead for requests. */
    static BigDecimal podAmount(Pod pod, String name, boolean limits) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Container c : pod.getSpec().getContainers()) {
            sum = sum.add(amount(c, name, limits));
        }
        if (pod.getSpec().getInitContainers() != null) {
            for (Container c : pod.getSpec().getInitContainers()) {
                sum = sum.max(amount(c, name, limits));
            }
        }
        if (!limits && pod.getSpec().getOverhead() != null && pod.getSpec().getOverhead().get(name) != null) {
            sum = sum.add(pod.getSpec().getOverhead().get(name).getNumericalAmount());
        }
        return sum;
    }

    private static BigDecimal amount(Container c, String name, boolean limits) {
        if (c.getResources() == null) {
            return BigDecimal.ZERO;
        }
        Map<String, Quantity> m = limits ? c.getResources().getLimits() : c.getResources().getRequests();
        if (m == null && !limits) {
            // Requests default to limits when only limits are set.
            m = c.getResources().getLimits();
        }
        Quantity q = m == null ? null : m.get(name);
        return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
    }
}

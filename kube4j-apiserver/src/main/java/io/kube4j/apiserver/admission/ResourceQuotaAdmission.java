package io.kube4j.apiserver.admission;

import io.kube4j.api.quantity.Quantity;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ResourceQuota, the last validating plugin: the usage a new (or changed) object adds is checked against every
 * quota of its namespace that covers it, and charged to the quotas' {@code status.used} (compare-and-swap, retried
 * on conflicts) before the object is stored, so concurrent creates cannot both take the last unit. As upstream's
 * plugin, it enforces the limits the quota controller has copied into {@code status.hard} and refuses while a
 * limit has no counted {@code status.used} ({@code status unknown for quota: q, resources: pods}). The refusals
 * read as upstream's: {@code exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2}. The quotas are
 * read through a {@link QuotaAccessor} (the watch cache, a live list when it has none for the namespace, the versions
 * admission just wrote). The in-place resize subresource ({@code pods/resize}), which upstream's pod evaluator also
 * handles, is not served, so no subresource is evaluated.
 */
public final class ResourceQuotaAdmission implements ValidatingAdmission {

    private static final int ATTEMPTS = 5;

    private final QuotaAccessor quotas;

    public ResourceQuotaAdmission(ObjectLookup lookup, QuotaStatusWriter writer) {
        this(new QuotaAccessor(lookup, writer, System::nanoTime));
    }

    ResourceQuotaAdmission(QuotaAccessor quotas) {
        this.quotas = quotas;
    }

    @Override
    public String name() {
        return "ResourceQuota";
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (request.namespace().isEmpty() || !request.subresource().isEmpty() || request.object() == null
                || !handles(request)) {
            return;
        }
        JsonNode object = asEvaluated(request);
        Map<String, Quantity> delta = QuotaUsage.of(request.group(), request.resource(), object);
        if (request.operation() == Operation.UPDATE) {
            Map<String, Quantity> old = QuotaUsage.of(request.group(), request.resource(), request.oldObject());
            // only growth is charged; objects are never counted twice
            delta.keySet().removeIf(name -> name.startsWith("count/") || name.equals(request.resource()));
            old.forEach((name, value) -> delta.computeIfPresent(name, (k, v) -> v.subtract(value)));
            delta.values().removeIf(q -> q.signum() <= 0);
        }
        Set<String> alreadyCharged = new java.util.HashSet<>();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // the first attempt reads the quotas from the cache; after a conflict the cache may still hold the
            // version that lost, so retries read the latest (upstream refreshes the quota with a live get)
            if (tryCharge(request, object, delta, alreadyCharged, attempt > 0)) {
                return;
            }
        }
        throw StatusException.conflict("", "resourcequotas", "", "the quota usage changed too often; try again");
    }

    /**
     * The object as upstream's plugin sees it. Upstream's validating admission runs after the strategy's
     * PrepareForCreate, which gives a new pod the status Pending whatever the client sent; here admission runs before
     * the registry does that, so a create's pod is evaluated without the sent status - else a pod sent as Succeeded
     * would look finished and be stored (as Pending) without being charged.
     */
    private static JsonNode asEvaluated(AdmissionRequest request) {
        ObjectNode object = request.object();
        if (request.operation() != Operation.CREATE || !request.isCore("pods") || !object.has("status")) {
            return object;
        }
        ObjectNode pod = object.deepCopy();
        pod.remove("status");
        return pod;
    }

    /**
     * The operations upstream's evaluators handle: every create; updates only of services and PVCs, whose usage
     * can grow (node ports, storage), not of kinds that are only counted.
     */
    private static boolean handles(AdmissionRequest request) {
        return request.operation() == Operation.CREATE || request.operation() == Operation.UPDATE
                && request.group().isEmpty()
                && (request.resource().equals("services") || request.resource().equals("persistentvolumeclaims"));
    }

    /** True when every covering quota allows and was charged; false to retry after a write conflict. */
    private boolean tryCharge(AdmissionRequest request, JsonNode object, Map<String, Quantity> delta,
                              Set<String> alreadyCharged, boolean latest) {
        List<ObjectNode> charged = new ArrayList<>();
        List<ObjectNode> inNamespace = latest ? quotas.latest(request.namespace())
                : quotas.quotas(request.namespace());
        for (ObjectNode quota : inNamespace) {
            String quotaName = Json.text(quota, "metadata", "name");
            if (alreadyCharged.contains(quotaName)) {
                continue;
            }
            // the limits in force are the ones the quota controller has copied into status.hard: a quota it has
            // not seen yet (status empty, as every create leaves it) limits nothing
            Map<String, Quantity> hard = Resources.list(quota.path("status").path("hard"));
            Set<String> restricted = QuotaUsage.matchingResources(request.group(), request.resource(), hard.keySet());
            if (restricted.isEmpty()
                    || !QuotaUsage.inScope(quota, request.group(), request.resource(), object)) {
                continue;
            }
            if (request.isCore("pods") && request.operation() == Operation.CREATE) {
                Map<String, Set<String>> missing = QuotaUsage.missingComputeResources(object, restricted);
                if (!missing.isEmpty()) {
                    // as upstream words it: each resource with the containers that lack it
                    List<String> lacking = new ArrayList<>();
                    missing.forEach((resource, containers) -> lacking.add(resource + " for: "
                            + String.join(",", containers)));
                    throw AdmissionErrors.forbidden(request, "failed quota: " + quotaName + ": must specify "
                            + String.join("; ", lacking));
                }
            }
            Map<String, Quantity> used = Resources.list(quota.path("status").path("used"));
            if (!used.keySet().containsAll(restricted)) {
                // charging a usage nobody has counted would make it up: wait for the controller (a real client
                // retries; upstream's e2e waits "for resource quota status to be calculated")
                throw AdmissionErrors.forbidden(request, "status unknown for quota: " + quotaName + ", resources: "
                        + String.join(",", restricted));
            }
            Map<String, Quantity> relevant = new TreeMap<>();
            delta.forEach((name, value) -> {
                if (hard.containsKey(name)) {
                    relevant.put(name, value);
                }
            });
            if (relevant.isEmpty()) {
                continue;
            }
            List<String> requested = new ArrayList<>();
            List<String> usedText = new ArrayList<>();
            List<String> limited = new ArrayList<>();
            Map<String, Quantity> newUsed = new TreeMap<>(used);
            relevant.forEach((name, value) -> {
                Quantity current = used.getOrDefault(name, Quantity.ZERO);
                Quantity total = current.add(value);
                newUsed.put(name, total);
                if (total.compareTo(hard.get(name)) > 0) {
                    requested.add(name + "=" + value);
                    usedText.add(name + "=" + current);
                    limited.add(name + "=" + hard.get(name));
                }
            });
            if (!requested.isEmpty()) {
                throw AdmissionErrors.forbidden(request, "exceeded quota: " + quotaName + ", requested: "
                        + String.join(",", requested) + ", used: " + String.join(",", usedText) + ", limited: "
                        + String.join(",", limited));
            }
            if (relevant.values().stream().allMatch(q -> q.signum() == 0)) {
                continue; // checked (a zero request still fails a quota already over its limit), nothing to charge
            }
            ObjectNode updated = quota.deepCopy();
            ObjectNode usedStatus = Json.child(updated, "status").putObject("used");
            newUsed.forEach((name, value) -> usedStatus.put(name, value.toString()));
            charged.add(updated);
        }
        if (request.dryRun()) {
            return true;
        }
        for (ObjectNode quota : charged) {
            if (!quotas.tryUpdateStatus(quota)) {
                return false;
            }
            alreadyCharged.add(Json.text(quota, "metadata", "name"));
        }
        return true;
    }
}

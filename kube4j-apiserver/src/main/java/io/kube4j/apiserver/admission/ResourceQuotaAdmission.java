package io.kube4j.apiserver.admission;

import io.kube4j.api.quantity.Quantity;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ResourceQuota, the last validating plugin: the usage a new (or changed) object adds is checked against every
 * quota of its namespace that covers it, and charged to the quotas' {@code status.used} (compare-and-swap, retried
 * on conflicts) before the object is stored, so concurrent creates cannot both take the last unit. A quota
 * without a {@code status.used} entry yet is evaluated from the existing objects. The refusal reads as
 * upstream's: {@code exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2}.
 */
public final class ResourceQuotaAdmission implements ValidatingAdmission {

    private static final int ATTEMPTS = 5;

    private final ObjectLookup lookup;
    private final QuotaStatusWriter writer;

    public ResourceQuotaAdmission(ObjectLookup lookup, QuotaStatusWriter writer) {
        this.lookup = lookup;
        this.writer = writer;
    }

    @Override
    public String name() {
        return "ResourceQuota";
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (request.namespace().isEmpty() || !request.subresource().isEmpty() || request.object() == null
                || (request.operation() != Operation.CREATE && request.operation() != Operation.UPDATE)) {
            return;
        }
        Map<String, Quantity> delta = QuotaUsage.of(request.group(), request.resource(), request.object());
        if (request.operation() == Operation.UPDATE) {
            Map<String, Quantity> old = QuotaUsage.of(request.group(), request.resource(), request.oldObject());
            // only growth is charged; objects are never counted twice
            delta.keySet().removeIf(name -> name.startsWith("count/") || name.equals(request.resource()));
            old.forEach((name, value) -> delta.computeIfPresent(name, (k, v) -> v.subtract(value)));
            delta.values().removeIf(q -> q.signum() <= 0);
        }
        if (delta.isEmpty()) {
            return;
        }
        Set<String> alreadyCharged = new java.util.HashSet<>();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // the first attempt reads the quotas from the cache; after a conflict the cache may still hold the
            // version that lost, so retries read the latest (upstream refreshes the quota with a live get)
            if (tryCharge(request, delta, alreadyCharged, attempt > 0)) {
                return;
            }
        }
        throw StatusException.conflict("", "resourcequotas", "", "the quota usage changed too often; try again");
    }

    /** True when every covering quota allows and was charged; false to retry after a write conflict. */
    private boolean tryCharge(AdmissionRequest request, Map<String, Quantity> delta, Set<String> alreadyCharged,
                              boolean latest) {
        List<ObjectNode> charged = new ArrayList<>();
        List<ObjectNode> quotas = latest ? lookup.listLatest("resourcequotas", request.namespace())
                : lookup.list("resourcequotas", request.namespace());
        for (ObjectNode quota : quotas) {
            Map<String, Quantity> hard = Resources.list(quota.path("spec").path("hard"));
            if (hard.isEmpty() || !QuotaUsage.inScope(quota, request.group(), request.resource(), request.object())) {
                continue;
            }
            String quotaName = Json.text(quota, "metadata", "name");
            if (alreadyCharged.contains(quotaName)) {
                continue;
            }
            if (request.isCore("pods") && request.operation() == Operation.CREATE) {
                Set<String> missing = QuotaUsage.missingComputeResources(request.object(), hard.keySet());
                if (!missing.isEmpty()) {
                    throw AdmissionErrors.forbidden(request, "failed quota: " + quotaName + ": must specify "
                            + String.join(",", missing));
                }
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
            Map<String, Quantity> used = Resources.list(quota.path("status").path("used"));
            if (!used.keySet().containsAll(relevant.keySet())) {
                Map<String, Quantity> calculated = QuotaUsage.calculate(quota, lookup);
                relevant.keySet().forEach(name -> used.putIfAbsent(name, calculated.getOrDefault(name, Quantity.ZERO)));
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
            ObjectNode updated = quota.deepCopy();
            ObjectNode status = Json.child(updated, "status");
            ObjectNode hardStatus = status.putObject("hard");
            hard.forEach((name, value) -> hardStatus.put(name, value.toString()));
            ObjectNode usedStatus = status.putObject("used");
            newUsed.forEach((name, value) -> usedStatus.put(name, value.toString()));
            charged.add(updated);
        }
        if (request.dryRun()) {
            return true;
        }
        for (ObjectNode quota : charged) {
            if (!writer.tryUpdateStatus(quota)) {
                return false;
            }
            alreadyCharged.add(Json.text(quota, "metadata", "name"));
        }
        return true;
    }
}

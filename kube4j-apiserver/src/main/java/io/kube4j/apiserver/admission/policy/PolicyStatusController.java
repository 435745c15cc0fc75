package io.kube4j.apiserver.admission.policy;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.apiregistration.SyncQueue;
import io.kube4j.apiserver.discovery.KindSchemas;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Upstream's ValidatingAdmissionPolicy status controller ({@code pkg/controller/validatingadmissionpolicystatus}),
 * run inside the API server as the CRD status is: for each policy whose generation is newer than its
 * {@code status.observedGeneration}, type-checks it ({@link TypeChecker}) and writes that generation as
 * {@code status.observedGeneration} and the warnings as {@code status.typeChecking} (empty when there are none)
 * through the status subresource, under upstream's field manager name. Upstream server-side applies the status;
 * kube4j's field manager drops an object an apply empties, which would take {@code typeChecking: {}} away once a
 * fixed policy's warnings go, so the status is written as an update, the way the server writes a CRD's. Policies
 * are checked one at a time from a work queue ({@link SyncQueue}: a failed write is retried with backoff, as
 * upstream's rate-limited queue does).
 */
public final class PolicyStatusController implements AutoCloseable {

    /** Upstream's controller name, the status' manager in managedFields. */
    static final String MANAGER = "validatingadmissionpolicy-status-controller";
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStatusController.class);

    private final GenericRegistry policies;
    private final TypeChecker checker;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "policy-status-controller");
        t.setDaemon(true);
        return t;
    });
    private final SyncQueue queue = new SyncQueue("ValidatingAdmissionPolicy status", this::reconcile, worker);

    private PolicyStatusController(GenericRegistry policies, TypeChecker checker) {
        this.policies = policies;
        this.checker = checker;
    }

    /** Starts checking every policy stored and every one written from now on. */
    public static PolicyStatusController start(Resources resources, KindSchemas schemas) {
        GenericRegistry policies = resources.find(PolicyStrategy.GROUP, "v1", ValidatingPolicyAdmission.POLICIES)
                .orElseThrow();
        PolicyStatusController controller = new PolicyStatusController(policies,
                new TypeChecker(schemas::kindFor, schemas::schema));
        policies.cache().register(controller.queue, true, 0);
        return controller;
    }

    void reconcile(String name) {
        ObjectNode policy = policies.find(null, name).orElse(null);
        if (policy == null) {
            return;
        }
        long generation = policy.path("metadata").path("generation").asLong(0);
        if (generation <= policy.path("status").path("observedGeneration").asLong(0)) {
            return;
        }
        List<TypeChecker.Warning> warnings = checker.check(policy);
        try {
            policies.guaranteedUpdate(null, name, true, false, true, MANAGER, current -> {
                ObjectNode copy = current.deepCopy();
                ObjectNode status = copy.withObject("/status");
                // the generation checked: a newer one is checked when its event comes
                status.put("observedGeneration", generation);
                ObjectNode typeChecking = status.putObject("typeChecking");
                if (!warnings.isEmpty()) {
                    ArrayNode list = typeChecking.putArray("expressionWarnings");
                    warnings.forEach(w -> list.addObject().put("fieldRef", w.fieldRef()).put("warning", w.warning()));
                }
                return copy;
            });
        } catch (StatusException e) {
            if (e.code() != 404) {
                throw e; // the queue retries it
            }
            LOG.debug("ValidatingAdmissionPolicy {} went while setting its status", name);
        }
    }

    @Override
    public void close() {
        policies.cache().unregister(queue);
        worker.shutdownNow();
    }
}

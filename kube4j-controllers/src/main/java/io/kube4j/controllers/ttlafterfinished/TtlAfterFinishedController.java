package io.kube4j.controllers.ttlafterfinished;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.job.JobController;
import io.kube4j.controllers.util.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Deletes finished Jobs (with their pods, in the foreground) ttlSecondsAfterFinished after they finished. */
public final class TtlAfterFinishedController extends Controller {
    private final KubernetesClient client;
    private final Informers informers;
    private final Clock clock;

    public TtlAfterFinishedController(ControllerContext ctx) {
        super("ttl-after-finished-controller", ctx.options().concurrentSyncs());
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.clock = ctx.clock();
        informers.of(Job.class).addEventHandler(Handlers.of(this::changed, (o, n) -> changed(n), j -> { }));
    }

    private void changed(Job job) {
        if (needsCleanup(job)) {
            enqueue(job);
        }
    }

    static boolean needsCleanup(Job job) {
        return job.getSpec().getTtlSecondsAfterFinished() != null && JobController.isFinished(job)
                && job.getMetadata().getDeletionTimestamp() == null;
    }

    static Instant finishedAt(Job job) {
        if (job.getStatus().getConditions() != null) {
            for (JobCondition c : job.getStatus().getConditions()) {
                if (("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus())) {
                    Instant t = Times.parse(c.getLastTransitionTime());
                    if (t != null) {
                        return t;
                    }
                }
            }
        }
        return Times.parse(job.getStatus().getCompletionTime());
    }

    @Override
    public void sync(String key) {
        Job job = informers.get(Job.class, key);
        if (job == null || !needsCleanup(job)) {
            return;
        }
        Instant finished = finishedAt(job);
        if (finished == null) {
            return;
        }
        Instant expireAt = finished.plusSeconds(job.getSpec().getTtlSecondsAfterFinished());
        Instant now = clock.instant();
        if (now.isBefore(expireAt)) {
            enqueueAfter(key, Duration.between(now, expireAt));
            return;
        }
        // The TTL may have been changed since the cache saw it: decide on the live object.
        var resource = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName());
        Job fresh = resource.get();
        if (fresh == null || !Objects.equals(fresh.getMetadata().getUid(), job.getMetadata().getUid())
                || !needsCleanup(fresh)) {
            return;
        }
        Instant freshExpire = finishedAt(fresh).plusSeconds(fresh.getSpec().getTtlSecondsAfterFinished());
        if (now.isBefore(freshExpire)) {
            enqueueAfter(key, Duration.between(now, freshExpire));
            return;
        }
        try {
            resource.withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}

package io.kube4j.apiserver.apiregistration;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * apiregistration.k8s.io inside the API server, as upstream's kube-aggregator without its proxy: serves APIServices
 * with their strategy, registers a Local APIService for every built-in and custom resource group/version
 * ({@link AutoRegistration}, {@link CrdRegistration}), keeps their Available conditions
 * ({@link AvailabilityController}) and answers requests for group/versions only a non-local APIService names
 * ({@link UnproxiedApiServices}). The three controllers share one thread: their work is a few small writes.
 */
public final class ApiRegistration implements AutoCloseable {

    /** How often every APIService is looked at again, as an informer's resync. */
    static final Duration RESYNC = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ApiRegistration.class);

    private final ScheduledExecutorService executor;
    private final UnproxiedApiServices unproxied;
    /** The watch-cache listeners, removed on close. */
    private final List<Runnable> unregister = new ArrayList<>();

    private ApiRegistration(ScheduledExecutorService executor, UnproxiedApiServices unproxied) {
        this.executor = executor;
        this.unproxied = unproxied;
    }

    /**
     * Starts serving and registering. Call once every built-in group/version is in {@code registry} (those there now
     * and in upstream's priority table are the built-in ones) and after the CRD controller started.
     */
    public static ApiRegistration start(ResourceRegistry registry, Resources resources) {
        ResourceType type = registry.find(ApiServices.GROUP, ApiServices.VERSION, ApiServices.PLURAL).orElseThrow();
        GenericRegistry apiServices = resources.add(type, new ApiServiceStrategy(type), ApiServices.PLURAL);
        GenericRegistry crds = resources.find("apiextensions.k8s.io", "v1", "customresourcedefinitions")
                .orElseThrow();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "apiservice-controllers");
            t.setDaemon(true);
            return t;
        });
        AutoRegistration autoRegistration = new AutoRegistration(apiServices, executor);
        for (String group : registry.groups()) {
            for (String version : registry.versions(group)) {
                ApiServicePriorities.builtin(group, version).ifPresentOrElse(
                        priority -> autoRegistration.addOnStart(group, version, priority),
                        () -> LOG.debug("no APIService for {}/{}: not a built-in group/version", group, version));
            }
        }
        // the CRDs' group/versions are queued first, so that the first sync of a stored CRD APIService finds it
        // wanted and does not delete it (upstream lets the CRD controller settle before autoregistration starts)
        ApiRegistration started = new ApiRegistration(executor, new UnproxiedApiServices(apiServices));
        CrdRegistration crdRegistration = new CrdRegistration(crds, autoRegistration, executor);
        crdRegistration.start();
        started.unregister.add(() -> crds.cache().unregister(crdRegistration));
        autoRegistration.start();
        started.unregister.add(() -> apiServices.cache().unregister(autoRegistration.listener()));
        AvailabilityController availability = new AvailabilityController(apiServices, registry, Clock.systemUTC(),
                executor);
        availability.start();
        started.unregister.add(() -> apiServices.cache().unregister(availability.listener()));
        executor.scheduleWithFixedDelay(() -> {
            autoRegistration.resync();
            availability.resync();
        }, RESYNC.toMillis(), RESYNC.toMillis(), TimeUnit.MILLISECONDS);
        return started;
    }

    public UnproxiedApiServices unproxied() {
        return unproxied;
    }

    @Override
    public void close() {
        unregister.forEach(Runnable::run);
        executor.shutdownNow();
    }
}

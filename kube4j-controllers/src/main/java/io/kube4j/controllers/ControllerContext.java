package io.kube4j.controllers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Informers;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/** What a controller is built from: the client, the shared informers, events, the clock and the flags. */
public final class ControllerContext {
    private final KubernetesClient client;
    private final Informers informers;
    private final Function<String, EventRecorder> recorders;
    private final ControllerManagerOptions options;
    private final ExecutorService apiCalls;

    public ControllerContext(KubernetesClient client, Informers informers, Function<String, EventRecorder> recorders,
                             ControllerManagerOptions options, ExecutorService apiCalls) {
        this.client = client;
        this.informers = informers;
        this.recorders = recorders;
        this.options = options;
        this.apiCalls = apiCalls;
    }

    public KubernetesClient client() { return client; }
    public Informers informers() { return informers; }
    public EventRecorder recorder(String component) { return recorders.apply(component); }
    public ControllerManagerOptions options() { return options; }
    public Clock clock() { return options.clock(); }
    /** A bounded pool for fan-out API calls (pod creates and deletes), shared by all controllers. */
    public ExecutorService apiCalls() { return apiCalls; }
}

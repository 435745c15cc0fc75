package io.kube4j.controllers.namespace;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.util.Times;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Empties a namespace that is being deleted: deletes every namespaced resource in it, reports
 * progress in the namespace's conditions, and once nothing is left removes the {@code kubernetes}
 * finalizer through the {@code finalize} subresource so the API server can remove the namespace.
 */
public final class NamespaceController extends Controller {
    public static final String FINALIZER = "kubernetes";
    static final Duration RECHECK = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final Informers informers;
    private final ResourceDiscovery discovery;
    private final Clock clock;

    public NamespaceController(ControllerContext ctx) {
        super("namespace-controller", 10);
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.discovery = new ResourceDiscovery(client);
        this.clock = ctx.clock();
        informers.of(Namespace.class).addEventHandler(Handlers.of(this::changed, (o, n) -> changed(n), ns -> { }));
    }

    private void changed(Namespace ns) {
        if (ns.getMetadata().getDeletionTimestamp() != null) {
            enqueue(ns);
        }
    }

    @Override
    public void sync(String key) throws Exception {
        Namespace ns = informers.get(Namespace.class, key);
        if (ns == null || ns.getMetadata().getDeletionTimestamp() == null) {
            return;
        }
        if (ns.getSpec() == null || ns.getSpec().getFinalizers() == null || !ns.getSpec().getFinalizers().contains(FINALIZER)) {
            return;
        }
        String name = ns.getMetadata().getName();
        ResourceDiscovery.Result resources = discovery.discover();
        List<String> deleteErrors = new ArrayList<>();
        for (NamespacedResource r : resources.resources()) {
            try {
                client.genericKubernetesResources(r.context()).inNamespace(name).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404 && e.getCode() != 405) {
                    deleteErrors.add(r.groupResource() + ": " + e.getMessage());
                }
            }
        }
        Map<String, Integer> remaining = new TreeMap<>();
        Map<String, Integer> finalizersRemaining = new TreeMap<>();
        for (NamespacedResource r : resources.resources()) {
            List<GenericKubernetesResource> items;
            try {
                items = client.genericKubernetesResources(r.context()).inNamespace(name).list().getItems();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404 && e.getCode() != 405) {
                    deleteErrors.add(r.groupResource() + ": " + e.getMessage());
                }
                continue;
            }
            if (!items.isEmpty()) {
                remaining.merge(r.groupResource(), items.size(), Integer::sum);
            }
            for (GenericKubernetesResource item : items) {
                if (item.getMetadata().getFinalizers() != null) {
                    for (String f : item.getMetadata().getFinalizers()) {
                        finalizersRemaining.merge(f, 1, Integer::sum);
                    }
                }
            }
        }
        List<NamespaceCondition> conditions = conditions(resources.error(), deleteErrors, remaining, finalizersRemaining);
        ns = updateConditions(ns, conditions);
        if (!deleteErrors.isEmpty()) {
            throw new IllegalStateException("deleting content of namespace " + name + ": " + deleteErrors);
        }
        if (!remaining.isEmpty()) {
            enqueueAfter(key, RECHECK);
            return;
        }
        finalizeNamespace(ns);
    }

    List<NamespaceCondition> conditions(String discoveryError, List<String> deleteErrors,
                                        Map<String, Integer> remaining, Map<String, Integer> finalizers) {
        List<NamespaceCondition> c = new ArrayList<>();
        c.add(discoveryError == null
                ? condition("NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered", "All resources successfully discovered")
                : condition("NamespaceDeletionDiscoveryFailure", "True", "DiscoveryFailed", "Discovery failed for some groups: " + discoveryError));
        c.add(condition("NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions",
                "All legacy kube types successfully parsed"));
        c.add(deleteErrors.isEmpty()
                ? condition("NamespaceDeletionContentFailure", "False", "ContentDeleted",
                "All content successfully deleted, may be waiting on finalization")
                : condition("NamespaceDeletionContentFailure", "True", "ContentDeletionFailed",
                "Failed to delete all resource types, " + deleteErrors.size() + " remaining: " + String.join(", ", deleteErrors)));
        if (remaining.isEmpty()) {
            c.add(condition("NamespaceContentRemaining", "False", "ContentRemoved", "All content successfully removed"));
        } else {
            List<String> parts = new ArrayList<>();
            remaining.forEach((r, n) -> parts.add(r + " has " + n + " resource instances"));
            c.add(condition("NamespaceContentRemaining", "True", "SomeResourcesRemain",
                    "Some resources are remaining: " + String.join(", ", parts)));
        }
        if (finalizers.isEmpty()) {
            c.add(condition("NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers",
                    "All content-preserving finalizers finished"));
        } else {
            List<String> parts = new ArrayList<>();
            finalizers.forEach((f, n) -> parts.add(f + " in " + n + " resource instances"));
            c.add(condition("NamespaceFinalizersRemaining", "True", "SomeFinalizersRemain",
                    "Some content in the namespace has finalizers remaining: " + String.join(", ", parts)));
        }
        return c;
    }

    private NamespaceCondition condition(String type, String status, String reason, String message) {
        return new NamespaceConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(Times.format(clock.instant())).build();
    }

    /** Returns the namespace as last written, so the finalize call carries the same conditions. */
    private Namespace updateConditions(Namespace ns, List<NamespaceCondition> desired) {
        List<NamespaceCondition> current = ns.getStatus() == null || ns.getStatus().getConditions() == null
                ? List.of() : ns.getStatus().getConditions();
        List<NamespaceCondition> merged = new ArrayList<>();
        boolean changed = false;
        for (NamespaceCondition d : desired) {
            NamespaceCondition existing = current.stream().filter(c -> d.getType().equals(c.getType())).findFirst().orElse(null);
            if (existing != null && Objects.equals(existing.getStatus(), d.getStatus())
                    && Objects.equals(existing.getReason(), d.getReason()) && Objects.equals(existing.getMessage(), d.getMessage())) {
                merged.add(existing);
            } else {
                merged.add(d);
                changed = true;
            }
        }
        if (!changed) {
            return ns;
        }
        Namespace copy = new NamespaceBuilder(ns).editOrNewStatus().withConditions(merged).endStatus().build();
        try {
            Namespace updated = client.namespaces().resource(copy).updateStatus();
            return updated == null ? copy : updated;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
            return copy;
        }
    }

    /** PUT namespaces/{name}/finalize with the kubernetes finalizer removed from spec.finalizers. */
    private void finalizeNamespace(Namespace ns) throws Exception {
        List<String> finalizers = new ArrayList<>(ns.getSpec().getFinalizers());
        finalizers.remove(FINALIZER);
        Namespace copy = new NamespaceBuilder(ns).editSpec().withFinalizers(finalizers).endSpec().build();
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/"
                + ns.getMetadata().getName() + "/finalize";
        String body = client.getKubernetesSerialization().asJson(copy);
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(url)
                .put("application/json", body).build();
        HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
        if (response.code() == 404) {
            return;
        }
        if (response.code() >= 300) {
            throw new IllegalStateException("finalize namespace " + ns.getMetadata().getName() + ": HTTP "
                    + response.code() + " " + response.body());
        }
    }
}

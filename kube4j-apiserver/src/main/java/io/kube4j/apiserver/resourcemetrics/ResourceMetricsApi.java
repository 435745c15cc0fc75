package io.kube4j.apiserver.resourcemetrics;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.selector.FieldSelector;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.endpoints.MediaTypes;
import io.kube4j.apiserver.endpoints.RequestInfo;
import io.kube4j.apiserver.endpoints.ResponseConversions;
import io.kube4j.apiserver.endpoints.Tables;
import io.kube4j.apiserver.endpoints.UnstoredRoutes;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.ListOptions;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves metrics.k8s.io/v1beta1 {@code nodes} and {@code pods} (get and list, label and field selectors) from the
 * scraped usage, as metrics-server does: the objects come from the live Nodes and Pods (for names and labels), the
 * figures from the {@link UsageStore}; what has no usage yet is left out of lists and is NotFound by name.
 */
public final class ResourceMetricsApi {

    private final ResourceRegistry registry;
    private final UsageStore usage;
    private final ClusterObjects objects;
    private final Clock clock;

    /** {@code registry}: the served resources, which hold the metrics types' scope, verbs and names. */
    public ResourceMetricsApi(ResourceRegistry registry, UsageStore usage, ClusterObjects objects, Clock clock) {
        this.registry = registry;
        this.usage = usage;
        this.objects = objects;
        this.clock = clock;
    }

    public static boolean handles(RequestInfo info) {
        return info.group().equals(ResourceMetricsTypes.GROUP);
    }

    public void handle(RequestInfo info, ApiRequest request, ResponseSink sink) {
        ResourceType type = type(info);
        // metrics-server's routes are the generic API server's: only get and list are installed
        UnstoredRoutes.check(info, type, request);
        if (!type.supports(info.verb())) {
            // a watch through the list route: upstream's list handler refuses it for a storage that cannot watch
            throw StatusException.methodNotAllowed(info.group(), info.resource(), info.verb());
        }
        MediaTypes.checkResourceAcceptable(request.header("accept"), true);
        boolean get = info.verb().equals("get");
        // upstream serves these through its generic handlers, which convert what the storage computed
        String goType = ResponseConversions.goType(type, !get, false);
        MediaTypes.Conversion conversion = get ? ResponseConversions.forObject(request, goType)
                : ResponseConversions.forList(request, goType);
        Instant now = clock.instant();
        boolean nodes = type.plural().equals(ResourceMetricsTypes.NODES);
        ObjectNode answer;
        List<ObjectNode> items;
        if (get) {
            ObjectNode one = nodes ? node(info.name(), now) : pod(info.namespace(), info.name(), now);
            items = List.of(one);
            answer = one;
        } else {
            ListOptions options = ListOptions.from(request);
            items = nodes ? nodeList(options.labelSelector(), options.fieldSelector(), now)
                    : podList(info.namespace(), options.labelSelector(), options.fieldSelector(), now);
            answer = MetricsObjects.list(nodes ? "NodeMetricsList" : "PodMetricsList", items);
        }
        if (conversion != null && conversion.isTable()) {
            answer = Tables.table(type, MetricsTablePrinter.INSTANCE, items, true, request.param("includeObject"),
                    null, null, -1);
        } else if (conversion != null) {
            answer = get ? ResponseConversions.partialObjectMetadata(answer, conversion)
                    : ResponseConversions.partialObjectMetadataList(answer, conversion);
        }
        sink.send(200, MediaTypes.JSON, Json.bytes(answer));
    }

    private ResourceType type(RequestInfo info) {
        return registry.find(ResourceMetricsTypes.GROUP, info.version(), info.resource())
                .orElseThrow(StatusException::pathNotFound);
    }

    private ObjectNode node(String name, Instant now) {
        Optional<Usage> figures = usage.node(name);
        Optional<ObjectNode> node = figures.isEmpty() ? Optional.empty()
                : objects.nodes().stream().filter(n -> name.equals(Json.text(n, "metadata", "name"))).findFirst();
        if (node.isEmpty()) {
            throw StatusException.notFound(ResourceMetricsTypes.GROUP, "nodemetrics", name);
        }
        return MetricsObjects.nodeMetrics(node.get(), figures.get(), now);
    }

    private ObjectNode pod(String namespace, String name, Instant now) {
        Optional<UsageStore.PodUsage> figures = usage.pod(namespace, name);
        Optional<ObjectNode> pod = figures.isEmpty() ? Optional.empty()
                : objects.pods(namespace).stream().filter(p -> name.equals(Json.text(p, "metadata", "name")))
                .findFirst();
        if (pod.isEmpty()) {
            throw StatusException.notFound(ResourceMetricsTypes.GROUP, "podmetrics", name);
        }
        return MetricsObjects.podMetrics(pod.get(), figures.get(), now);
    }

    private List<ObjectNode> nodeList(LabelSelector labels, FieldSelector fields, Instant now) {
        List<ObjectNode> items = new ArrayList<>();
        for (ObjectNode node : sorted(objects.nodes())) {
            String name = Json.text(node, "metadata", "name");
            if (!selected(node, labels, fields)) {
                continue;
            }
            usage.node(name).ifPresent(u -> items.add(MetricsObjects.nodeMetrics(node, u, now)));
        }
        return items;
    }

    private List<ObjectNode> podList(String namespace, LabelSelector labels, FieldSelector fields, Instant now) {
        Map<String, UsageStore.PodUsage> all = usage.pods();
        List<ObjectNode> items = new ArrayList<>();
        for (ObjectNode pod : sorted(objects.pods(namespace))) {
            if (!selected(pod, labels, fields)) {
                continue;
            }
            UsageStore.PodUsage figures = all.get(Json.text(pod, "metadata", "namespace") + "/"
                    + Json.text(pod, "metadata", "name"));
            if (figures != null) {
                items.add(MetricsObjects.podMetrics(pod, figures, now));
            }
        }
        return items;
    }

    private static boolean selected(ObjectNode object, LabelSelector labels, FieldSelector fields) {
        return labels.matches(Json.stringMap(object.path("metadata").path("labels")))
                && fields.matches(field -> switch (field) {
                    case "metadata.name" -> Json.text(object, "metadata", "name");
                    case "metadata.namespace" -> Json.text(object, "metadata", "namespace");
                    default -> null;
                });
    }

    private static List<ObjectNode> sorted(List<ObjectNode> objects) {
        List<ObjectNode> copy = new ArrayList<>(objects);
        copy.sort(Comparator.comparing((ObjectNode o) -> String.valueOf(Json.text(o, "metadata", "namespace")))
                .thenComparing(o -> String.valueOf(Json.text(o, "metadata", "name"))));
        return copy;
    }
}

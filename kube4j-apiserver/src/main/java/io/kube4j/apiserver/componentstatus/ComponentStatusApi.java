package io.kube4j.apiserver.componentstatus;

import io.kube4j.api.resource.ResourceType;
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
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * v1 {@code componentstatuses}, as upstream's {@code pkg/registry/core/componentstatus}: nothing stored, each get
 * or list checks the components now (a list checks them all at once) and answers one ComponentStatus each with a
 * Healthy condition. Read-only: other methods are the router's 405 ({@link UnstoredRoutes}). Every answer carries the
 * deprecation warning upstream sends.
 */
public final class ComponentStatusApi {

    /** Upstream's deprecation warning of the v1 ComponentStatus API, word for word. */
    static final String WARNING = "299 - \"v1 ComponentStatus is deprecated in v1.19+\"";
    private static final String RESOURCE = "componentstatuses";
    /** Upstream's componentstatus probe timeout. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private final ResourceType type;
    private final List<ComponentCheck> checks;

    /** {@code type}: the registry's v1 componentstatuses; {@code checks} in the order lists show them. */
    public ComponentStatusApi(ResourceType type, List<ComponentCheck> checks) {
        this.type = type;
        this.checks = List.copyOf(checks);
    }

    public static boolean handles(RequestInfo info) {
        return info.group().isEmpty() && info.version().equals("v1") && info.resource().equals(RESOURCE);
    }

    public void handle(RequestInfo info, ApiRequest request, ResponseSink sink) {
        UnstoredRoutes.check(info, type, request);
        if (!type.supports(info.verb())) {
            // a watch through the list route: upstream's list handler refuses it for a storage that cannot watch
            throw StatusException.methodNotAllowed("", RESOURCE, info.verb());
        }
        MediaTypes.checkResourceAcceptable(request.header("accept"), true);
        boolean get = info.verb().equals("get");
        // upstream serves these through its generic handlers, which convert what the storage computed
        String goType = ResponseConversions.goType(type, !get, false);
        MediaTypes.Conversion conversion = get ? ResponseConversions.forObject(request, goType)
                : ResponseConversions.forList(request, goType);
        ObjectNode answer;
        List<ObjectNode> items;
        if (get) {
            ComponentCheck check = checks.stream().filter(c -> c.name().equals(info.name())).findFirst()
                    // upstream answers an unknown name with a 500 ("Component not found"); a 404 says what it is
                    .orElseThrow(() -> StatusException.notFound("", RESOURCE, info.name()));
            answer = status(check.name(), start(check).join(), true);
            items = List.of(answer);
        } else {
            ListOptions options = ListOptions.from(request);
            items = new ArrayList<>();
            for (ObjectNode status : checkAll()) {
                String name = Json.text(status, "metadata", "name");
                if (options.labelSelector().matches(Map.of()) && options.fieldSelector().matches(
                        field -> field.equals("metadata.name") ? name : null)) {
                    items.add(status);
                }
            }
            answer = list(items);
        }
        if (conversion != null && conversion.isTable()) {
            answer = Tables.table(type, items, true, request.param("includeObject"), null, null, -1);
        } else if (conversion != null) {
            answer = get ? ResponseConversions.partialObjectMetadata(answer, conversion)
                    : ResponseConversions.partialObjectMetadataList(answer, conversion);
        }
        sink.send(200, MediaTypes.JSON, Json.bytes(answer), Map.of("Warning", WARNING));
    }

    /**
     * Every component checked at once, as upstream's list runs its probes in parallel; answers in list order.
     */
    private List<ObjectNode> checkAll() {
        List<CompletableFuture<ComponentHealth>> running = checks.stream().map(ComponentStatusApi::start).toList();
        List<ObjectNode> statuses = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            statuses.add(status(checks.get(i).name(), running.get(i).join(), false));
        }
        return statuses;
    }

    /** A check under upstream's probe timeout: a store that stopped answering makes a slow answer, not a stuck one. */
    private static CompletableFuture<ComponentHealth> start(ComponentCheck check) {
        return CompletableFuture.supplyAsync(check::check).completeOnTimeout(ComponentHealth.unhealthy(
                "no answer within " + PROBE_TIMEOUT.toSeconds() + "s"), PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A ComponentStatus; a list's items carry no kind and apiVersion, as upstream's typed lists encode them. */
    static ObjectNode status(String name, ComponentHealth health, boolean typed) {
        ObjectNode status = Json.object();
        if (typed) {
            status.put("kind", "ComponentStatus");
            status.put("apiVersion", "v1");
        }
        status.putObject("metadata").put("name", name);
        ObjectNode condition = status.putArray("conditions").addObject();
        condition.put("type", "Healthy");
        condition.put("status", health.status());
        if (!health.message().isEmpty()) {
            condition.put("message", health.message());
        }
        if (!health.error().isEmpty()) {
            condition.put("error", health.error());
        }
        return status;
    }

    private static ObjectNode list(List<ObjectNode> items) {
        ObjectNode list = Json.object();
        list.put("kind", "ComponentStatusList");
        list.put("apiVersion", "v1");
        list.putObject("metadata");
        ArrayNode array = list.putArray("items");
        items.forEach(array::add);
        return list;
    }
}

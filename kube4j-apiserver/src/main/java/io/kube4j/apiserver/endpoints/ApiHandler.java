package io.kube4j.apiserver.endpoints;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.discovery.DiscoveryDocuments;
import io.kube4j.apiserver.discovery.OpenApiDocuments;
import io.kube4j.apiserver.discovery.OpenApiResponses;
import io.kube4j.apiserver.discovery.ServiceGroup;
import io.kube4j.apiserver.discovery.VersionInfo;
import io.kube4j.apiserver.flowcontrol.FlowControl;
import io.kube4j.apiserver.health.HealthChecks;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.HttpHandler;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.http.StatusWriter;
import io.kube4j.apiserver.http.YamlResponseSink;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.metrics.ApiMetrics;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.authz.AccessControl;
import io.kube4j.apiserver.authz.AuthorizationFailed;
import io.kube4j.apiserver.authz.Decision;
import io.kube4j.apiserver.security.ApiSecurity;
import io.kube4j.apiserver.security.ReviewEndpoints;
import io.kube4j.apiserver.audit.AuditAnnotations;
import io.kube4j.apiserver.audit.AuditLog;
import io.kube4j.apiserver.admission.webhook.WebhookAdmission;
import io.kube4j.apiserver.apiregistration.UnproxiedApiServices;
import io.kube4j.apiserver.componentstatus.ComponentStatusApi;
import io.kube4j.apiserver.resourcemetrics.HttpKubeletReader;
import io.kube4j.apiserver.resourcemetrics.KubeletReader;
import io.kube4j.apiserver.resourcemetrics.ResourceMetricsApi;
import io.kube4j.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import io.kube4j.apiserver.proxy.HttpRelay;
import io.kube4j.apiserver.proxy.PodNetworkClient;
import java.time.Duration;

/**
 * The API server's request router: health and version, discovery, OpenAPI, metrics, and resource requests,
 * each answered with a Status on failure and counted in the metrics.
 */
public final class ApiHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final ResourceRegistry registry;
    private final ResourceHandler resources;
    private final DiscoveryDocuments discovery;
    private final OpenApiResponses openApiResponses;
    private final ApiMetrics metrics;
    private final Supplier<String> serverAddress;
    private final PodStreams podStreams;
    private final NodeProxy nodeProxy;
    private final PodProxy podProxy;
    private final ServiceProxy serviceProxy;
    /** Answered from memory (the health checks ask the store, which may take a round trip: never on the loop). */
    private static final Set<String> INLINE_PATHS = Set.of("/version");
    private static final Set<String> QUIET_LOOP_VERBS = Set.of("get", "create", "update", "patch", "delete");
    private static final Set<String> QUIET_LOOP_SUBRESOURCES = Set.of("status", "scale");
    /** The answer to /version, the same for the server's life: encoded once (never written to by the sink). */
    private static final byte[] VERSION = Json.bytes(VersionInfo.json());

    private final ApiSecurity security;
    private final ReviewEndpoints reviews;
    private final AuditLog audit;
    private volatile ResourceMetricsApi resourceMetrics;
    private volatile ComponentStatusApi componentStatuses;
    private volatile FlowControl flowControl;
    private final HealthChecks health;
    private volatile UnproxiedApiServices unproxiedApiServices;

    /**
     * {@code security} null is insecure serving: no authentication, every request allowed as
     * {@link ApiSecurity#INSECURE_USER}.
     */
    public ApiHandler(ResourceRegistry registry, ResourceHandler resources, ApiMetrics metrics,
                      Supplier<String> serverAddress, ApiSecurity security, ReviewEndpoints reviews,
                      AuditLog audit, HealthChecks health) {
        this.health = health;
        this.audit = audit;
        this.security = security;
        this.reviews = reviews;
        this.registry = registry;
        this.resources = resources;
        io.kube4j.apiserver.proxy.KubeletTransport kubelets = resources.kubeletTransport();
        this.podStreams = new PodStreams(new StoredObjects(registry, resources), kubelets);
        this.nodeProxy = new NodeProxy(new StoredObjects(registry, resources), kubelets);
        HttpRelay podNetwork = new HttpRelay(PodNetworkClient.create(Duration.ofSeconds(10)),
                PodNetworkClient.upgrades());
        this.podProxy = new PodProxy(new StoredObjects(registry, resources), podNetwork);
        this.serviceProxy = new ServiceProxy(new StoredObjects(registry, resources), podNetwork);
        this.discovery = new DiscoveryDocuments(registry);
        this.openApiResponses = new OpenApiResponses(new OpenApiDocuments(registry, resources.registries()));
        OpenApiDocuments.warmUp();
        this.metrics = metrics;
        this.serverAddress = serverAddress;
    }

    /** Serves metrics.k8s.io from {@code api} (the group answers 404 until then). */
    public void serveResourceMetrics(ResourceMetricsApi api) {
        this.resourceMetrics = api;
    }

    /** Serves v1 componentstatuses from {@code api}'s health checks (until then, 404: the type has no storage). */
    public void serveComponentStatuses(ComponentStatusApi api) {
        this.componentStatuses = api;
    }

    /** Answers requests for group/versions that only a non-local APIService names (until then: 404). */
    public void serveApiServices(UnproxiedApiServices unproxied) {
        this.unproxiedApiServices = unproxied;
    }

    /** Puts every request but the long-running non-watch ones through API Priority and Fairness. */
    public void serveFlowControl(FlowControl flowControl) {
        this.flowControl = flowControl;
    }

    /** Reads kubelet paths as nodes/proxy reaches kubelets (address, port, TLS): for the metrics scraper. */
    public KubeletReader kubeletReader() {
        return new HttpKubeletReader(resources.kubeletTransport(), PodLogs::kubeletHost, PodLogs::kubeletPort);
    }

    /**
     * Health and version: answered from memory. Served on the event loop when nothing in their way can block or cost
     * much - no audit file to write, and no credentials to check (an insecure server, or an anonymous probe: a
     * client certificate costs a signature check, a token may need a stored object).
     */
    @Override
    public boolean servesInline(ApiRequest request) {
        return audit == null && INLINE_PATHS.contains(request.path())
                && (request.method().equals("GET") || request.method().equals("HEAD"))
                && (security == null || (request.header("authorization") == null
                && request.clientCertificates().isEmpty()));
    }

    /**
     * One object read or written through the generic registry - a get, create, update, patch or delete of a
     * resource, its status or its scale - when nothing in its way can wait on a remote party: no audit file, no
     * admission webhook configured (webhooks are called over the network), and not metrics.k8s.io or
     * componentstatuses (answered by calling kubelets and components). Store writes block for their fsync (or etcd's
     * round trip), which is what a lone client waits for anyway.
     */
    @Override
    public boolean servesOnQuietLoop(ApiRequest request) {
        if (audit != null || request.booleanParam("watch")) {
            return false;
        }
        RequestInfo info = RequestInfo.parse(request.method(), request.path(), false);
        return info != null && QUIET_LOOP_VERBS.contains(info.verb())
                && (info.subresource() == null || QUIET_LOOP_SUBRESOURCES.contains(info.subresource()))
                && !ResourceMetricsApi.handles(info) && !ComponentStatusApi.handles(info)
                && (security == null || !WebhookAdmission.anyConfigured(security.lookup()));
    }

    @Override
    public void handle(ApiRequest request, ResponseSink sink) {
        long start = System.nanoTime();
        RequestInfo info = RequestInfo.parse(request.method(), request.path(), request.booleanParam("watch"));
        java.time.Instant received = audit == null ? null : java.time.Instant.now();
        String auditId = audit == null ? null : AuditLog.newAuditId();
        AuditAnnotations annotations = audit == null ? null : new AuditAnnotations();
        boolean longRunning = isLongRunning(info);
        UserInfo[] requester = {null};
        MeteredSink metered = new MeteredSink(sink, code -> {
            if (audit != null && longRunning) {
                audit.record(auditId, AuditLog.Stage.ResponseStarted, request, info, requester[0], code, received,
                        java.time.Instant.now(), annotations);
            }
        }, code -> {
            metrics.record(metricVerb(request, info),
                    info == null ? "" : info.group(), info == null ? "" : info.version(),
                    info == null ? "" : info.resource(),
                    info == null || info.subresource() == null ? "" : info.subresource(),
                    code, System.nanoTime() - start);
            if (audit != null) {
                audit.record(auditId, AuditLog.Stage.ResponseComplete, request, info, requester[0], code, received,
                        java.time.Instant.now(), annotations);
            }
        });
        ResponseSink answer = inFormat(request, metered);
        try {
            // the security gate comes first: 401 for bad or missing credentials, 403 for what the user may not do
            UserInfo user = security == null ? ApiSecurity.INSECURE_USER
                    : security.accessControl().authenticate(request, request.clientCertificates());
            requester[0] = user;
            FlowControl flow = flowControl;
            if (flow != null && !(longRunning && !info.verb().equals("watch"))) {
                // API Priority and Fairness sits between authentication and authorization, as upstream's filters;
                // a watch holds its seat only while it starts, other long-running requests take none
                flow.handle(request.method(), request.path(), info, user, metered,
                        seated -> serveSeated(request, info, user, annotations, seated, metered, longRunning));
                return;
            }
            countInflight(request, info, longRunning, metered);
            authorizeAndServe(request, info, user, annotations, metered, answer);
        } catch (RuntimeException e) {
            fail(e, request, answer, metered);
        }
    }

    /**
     * Counts a request that starts executing in {@code apiserver_current_inflight_requests} until its answer is out,
     * as upstream's priority and fairness filter counts the requests it lets run: a watch only while it starts, other
     * long-running requests (exec, logs, proxies) not at all.
     */
    private void countInflight(ApiRequest request, RequestInfo info, boolean longRunning, MeteredSink metered) {
        boolean watch = info != null && info.verb().equals("watch");
        if (!longRunning || watch) {
            // a non-resource request's verb is its method: only GET is a read (upstream's "head" counts as mutating)
            metered.countInflight(metrics.inflight(info != null ? info.verb()
                    : request.method().equals("GET") ? "get" : request.method()), watch);
        }
    }

    /** API objects and Status errors in the format negotiated (JSON, or YAML re-encoded from it). */
    private static ResponseSink inFormat(ApiRequest request, ResponseSink sink) {
        // proxied and streamed answers, discovery and /version negotiate their own
        return MediaTypes.wantsYaml(request.header("accept")) ? new YamlResponseSink(sink) : sink;
    }

    /**
     * A request flow control let through, possibly on another thread than the one that read it: failures are
     * answered here, since no caller is left to catch them.
     */
    private void serveSeated(ApiRequest request, RequestInfo info, UserInfo user, AuditAnnotations annotations,
                             ResponseSink seated, MeteredSink metered, boolean longRunning) {
        ResponseSink answer = inFormat(request, seated);
        try {
            countInflight(request, info, longRunning, metered);
            authorizeAndServe(request, info, user, annotations, seated, answer);
        } catch (RuntimeException e) {
            fail(e, request, answer, metered);
        }
    }

    /**
     * Answers a failure through the metered sink, an unexpected one too (a 500), so that it is counted, audited and
     * its in-flight place given back like any answer: the transport's last resort would answer past them.
     */
    private static void fail(RuntimeException failure, ApiRequest request, ResponseSink answer, MeteredSink metered) {
        try {
            answerFailure(failure, request, answer, metered);
        } catch (RuntimeException unexpected) {
            LOG.error("{} {} failed", request.method(), request.path(), unexpected);
            if (!metered.answered()) {
                StatusWriter.write(answer, StatusException.internalError(unexpected));
            }
        }
    }

    /**
     * Authorization, then the handler the request is for. {@code base} is the plain sink (proxies, streams,
     * discovery), {@code answer} the one that speaks the negotiated format.
     */
    private void authorizeAndServe(ApiRequest request, RequestInfo info, UserInfo user, AuditAnnotations annotations,
                                   ResponseSink base, ResponseSink answer) {
        if (security != null) {
            security.accessControl().authorize(request, user, annotations);
        } else {
            // insecure serving allows everything, as upstream's AlwaysAllow authorizer, which gives no reason
            AccessControl.audit(annotations, Decision.allow(""));
        }
        if (info != null && PodStreams.serves(info)) {
            // exec, attach, port-forward take the connection over: the metered sink hands it out watched
            podStreams.serve(info, request, base.rawConnection());
        } else if (NodeProxy.serves(request.path())) {
            nodeProxy.serve(request, base);
        } else if (info != null && "proxy".equals(info.subresource()) && info.namespace() != null) {
            serveObjectProxy(info, request, base);
        } else if (info != null) {
            handleResource(info, request, answer, user, annotations);
        } else {
            handleNonResource(request, base);
        }
    }

    /** A failure as the client hears it; what is none of these is rethrown for the server's last resort. */
    private static void answerFailure(RuntimeException failure, ApiRequest request, ResponseSink answer,
                                      MeteredSink metered) {
        if (failure instanceof StatusException e) {
            StatusWriter.write(answer, e);
        } else if (failure instanceof AuthorizationFailed e) {
            answer.send(500, "text/plain; charset=utf-8", e.plainText().getBytes(StandardCharsets.UTF_8),
                    Map.of("X-Content-Type-Options", "nosniff"));
        } else if (failure instanceof StoreException.Unavailable e) {
            StatusWriter.write(answer, StatusException.serviceUnavailable("the store is unavailable: "
                    + e.getMessage()));
        } else if (failure instanceof StoreException e) {
            LOG.warn("{} {}: store refused", request.method(), request.path(), e);
            StatusWriter.write(answer, StatusException.internalError(e));
        } else if (failure instanceof IllegalStateException e && metered.answered()) {
            LOG.debug("{} {}: failed after answering", request.method(), request.path(), e);
        } else {
            throw failure;
        }
    }

    /** pods/proxy and services/proxy; any other namespaced proxy path is no resource of ours. */
    private void serveObjectProxy(RequestInfo info, ApiRequest request, ResponseSink sink) {
        ProxyPath proxy = info.group().isEmpty() && info.version().equals("v1") ? ProxyPath.of(request.path()) : null;
        if (proxy == null) {
            throw StatusException.pathNotFound();
        }
        if (proxy.resource().equals("pods")) {
            podProxy.serve(proxy, request, sink);
        } else {
            serviceProxy.serve(proxy, request, sink);
        }
    }

    private void handleResource(RequestInfo info, ApiRequest request, ResponseSink sink, UserInfo user,
                                AuditAnnotations annotations) {
        ResourceMetricsApi metricsApi = resourceMetrics;
        if (metricsApi != null && ResourceMetricsApi.handles(info)) {
            metricsApi.handle(info, request, sink);
            return;
        }
        ComponentStatusApi statusApi = componentStatuses;
        if (statusApi != null && ComponentStatusApi.handles(info)) {
            statusApi.handle(info, request, sink);
            return;
        }
        ResourceType type = servedType(info);
        if (reviews != null && ReviewEndpoints.handles(type)) {
            reviews.handle(info, type, request, sink, user);
            return;
        }
        if (info.verb().equals("watch")) {
            metrics.watchStarted(info.group(), info.resource());
        }
        resources.handle(info, type, request, sink, user, annotations);
    }

    /** The built-in or custom type a resource request is for; a 404 in upstream's words when none is served. */
    private ResourceType servedType(RequestInfo info) {
        return registry.find(info.group(), info.version(), info.resource())
                .orElseThrow(() -> unserved(info.group(), info.version()));
    }

    /**
     * {@code /healthz}, {@code /livez}, {@code /readyz} and one check under each ({@code /readyz/etcd}); null for
     * another path. A check that does not exist is a 404, as upstream's mux.
     */
    private HealthChecks.Answer health(String path, ApiRequest request) {
        for (String endpoint : List.of("healthz", "livez", "readyz")) {
            String root = "/" + endpoint;
            if (path.equals(root)) {
                List<String> exclude = request.query().getOrDefault("exclude", List.of());
                return health.all(endpoint, request.query().containsKey("verbose"), exclude);
            }
            if (path.startsWith(root + "/")) {
                String name = path.substring(root.length() + 1);
                if (!health.has(endpoint, name)) {
                    throw notFoundPath();
                }
                return health.one(endpoint, name);
            }
        }
        return null;
    }

    private void handleNonResource(ApiRequest request, ResponseSink sink) {
        String path = request.path().length() > 1 && request.path().endsWith("/")
                ? request.path().substring(0, request.path().length() - 1) : request.path();
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            throw StatusException.methodNotAllowed("", "", request.method());
        }
        String accept = request.header("accept");
        HealthChecks.Answer healthAnswer = health(path, request);
        if (healthAnswer != null) {
            sink.send(healthAnswer.code(), TEXT, healthAnswer.body().getBytes(StandardCharsets.UTF_8));
            return;
        }
        switch (path) {
            case "/version" -> {
                // upstream's route produces JSON only, whatever else is asked; an Accept without it is refused by
                // go-restful's router itself, before any API code: its plain-text error, no Status
                if (MediaTypes.acceptsJsonByName(accept)) {
                    sink.send(200, MediaTypes.JSON, VERSION);
                } else {
                    sink.send(406, TEXT, "406: Not Acceptable".getBytes(StandardCharsets.UTF_8));
                }
                return;
            }
            case "/debug/api_priority_and_fairness/dump_priority_levels" -> {
                FlowControl flow = flowControl;
                if (flow == null) {
                    throw notFoundPath();
                }
                sink.send(200, TEXT, flow.dumpPriorityLevels().getBytes(StandardCharsets.UTF_8));
                return;
            }
            case "/metrics" -> {
                sink.send(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.render().getBytes(StandardCharsets.UTF_8));
                return;
            }
            case "/api", "/apis" -> {
                MediaTypes.Negotiated aggregated = MediaTypes.aggregatedDiscovery(accept);
                if (aggregated != null) {
                    String version = aggregated.conversion().version();
                    inFormat(sink, aggregated).send(200, MediaTypes.JSON + ";g=apidiscovery.k8s.io;v=" + version
                                    + ";as=APIGroupDiscoveryList",
                            Json.bytes(discovery.aggregated(path.equals("/api"), "apidiscovery.k8s.io/" + version,
                                    serviceGroups())),
                            Map.of("Vary", "Accept"));
                } else {
                    discoveryDocument(sink, accept, path.equals("/api") ? discovery.apiVersions(serverAddress.get())
                            : discovery.groupList(serviceGroups()));
                }
                return;
            }
            case "/openapi/v2" -> {
                openApiResponses.v2(request, sink);
                return;
            }
            case "/openapi/v3" -> {
                openApiResponses.v3Index(request, sink);
                return;
            }
            default -> {
            }
        }
        if (path.startsWith("/openapi/v3/")) {
            if (!openApiResponses.v3(request, sink, path.substring("/openapi/v3/".length()))) {
                throw notFoundPath();
            }
            return;
        }
        List<String> parts = RequestInfo.segments(path);
        if (parts.size() == 2 && parts.get(0).equals("api")) {
            discoveryDocument(sink, accept, found(discovery.resourceList("", parts.get(1))));
        } else if (parts.size() == 2 && parts.get(0).equals("apis")) {
            discoveryDocument(sink, accept, found(discovery.group(parts.get(1), serviceGroups())));
        } else if (parts.size() == 3 && parts.get(0).equals("apis")) {
            ObjectNode resources = discovery.resourceList(parts.get(1), parts.get(2));
            if (resources == null) {
                throw unserved(parts.get(1), parts.get(2));
            }
            discoveryDocument(sink, accept, resources);
        } else {
            throw notFoundPath();
        }
    }

    /** The groups only APIServices naming a service have: none before apiregistration serves. */
    private List<ServiceGroup> serviceGroups() {
        UnproxiedApiServices unproxied = unproxiedApiServices;
        return unproxied == null ? List.of() : unproxied.serviceGroups(registry);
    }

    private static ObjectNode found(ObjectNode doc) {
        if (doc == null) {
            throw notFoundPath();
        }
        return doc;
    }

    private static StatusException notFoundPath() {
        return StatusException.pathNotFound();
    }

    /**
     * A path of a group/version this server does not serve: 503 when an APIService sends it to an aggregated API
     * server (which kube4j does not proxy to), else 404.
     */
    private StatusException unserved(String group, String version) {
        UnproxiedApiServices unproxied = unproxiedApiServices;
        if (unproxied != null && registry.resources(group, version).isEmpty()) {
            return unproxied.refusal(group, version).orElseGet(StatusException::pathNotFound);
        }
        return StatusException.pathNotFound();
    }

    /**
     * A legacy discovery document in the format the Accept header negotiates, as upstream's discovery handlers write
     * it through their codecs (JSON or YAML; protobuf is answered with JSON). Nothing acceptable is a 406 Status in
     * JSON, the fallback of upstream's WriteObjectNegotiated when negotiation fails.
     */
    private static void discoveryDocument(ResponseSink sink, String accept, ObjectNode doc) {
        MediaTypes.Negotiated negotiated = MediaTypes.discoveryDocument(accept);
        if (negotiated == null) {
            StatusWriter.write(sink, StatusException.notAcceptable(MediaTypes.SERIALIZERS));
            return;
        }
        inFormat(sink, negotiated).send(200, MediaTypes.JSON, Json.bytes(doc));
    }

    /** {@code sink}, or a YAML one re-encoding its JSON answers when YAML was negotiated. */
    private static ResponseSink inFormat(ResponseSink sink, MediaTypes.Negotiated negotiated) {
        return negotiated.format().equals(MediaTypes.YAML) ? new YamlResponseSink(sink) : sink;
    }

    /** Upstream's validConnectRequests: the subresources its metrics count under the verb CONNECT. */
    private static final Set<String> CONNECT_SUBRESOURCES = Set.of("log", "exec", "portforward", "attach", "proxy");
    /** Upstream's long-running check (BasicLongRunningRequestCheck): these verbs, and these subresources. */
    private static final Set<String> LONG_RUNNING_VERBS = Set.of("watch", "proxy");
    private static final Set<String> LONG_RUNNING_SUBRESOURCES = Set.of("attach", "exec", "proxy", "log",
            "portforward");

    private static boolean isLongRunning(RequestInfo info) {
        return info != null && (LONG_RUNNING_VERBS.contains(info.verb())
                || (info.subresource() != null && LONG_RUNNING_SUBRESOURCES.contains(info.subresource())));
    }

    private static String metricVerb(ApiRequest request, RequestInfo info) {
        if (info == null) {
            return request.method();
        }
        if (info.subresource() != null && CONNECT_SUBRESOURCES.contains(info.subresource())) {
            return "CONNECT";
        }
        return switch (info.verb()) {
            case "get" -> "GET";
            case "list" -> "LIST";
            case "watch" -> "WATCH";
            case "create" -> "POST";
            case "update" -> "PUT";
            case "patch" -> "PATCH";
            case "delete" -> "DELETE";
            case "deletecollection" -> "DELETECOLLECTION";
            default -> request.method();
        };
    }
}

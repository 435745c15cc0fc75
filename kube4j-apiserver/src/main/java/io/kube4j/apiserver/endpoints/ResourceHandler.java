package io.kube4j.apiserver.endpoints;

import io.kube4j.api.apply.FieldManager;
import io.kube4j.api.apply.ManagedFields;
import io.kube4j.api.patch.BuiltinPatchSchema;
import io.kube4j.api.patch.JsonPatch;
import io.kube4j.api.patch.MergePatch;
import io.kube4j.api.patch.PatchException;
import io.kube4j.api.patch.StrategicMergePatch;
import io.kube4j.api.protobuf.KubeProtobuf;
import io.kube4j.api.protobuf.ProtobufDecodeException;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.resource.Subresource;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.Statuses;
import io.kube4j.apiserver.admission.AdmissionRequest;
import io.kube4j.apiserver.audit.AuditAnnotations;
import io.kube4j.apiserver.admission.Operation;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.eviction.PodEviction;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.DeleteOptions;
import io.kube4j.apiserver.registry.DryRun;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.ListOptions;
import io.kube4j.apiserver.registry.ListPage;
import io.kube4j.apiserver.registry.ObjectCodec;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.apiserver.registry.Selection;
import io.kube4j.apiserver.registry.strategies.PodStrategy;
import io.kube4j.apiserver.security.ApiSecurity;
import io.kube4j.apiserver.watchcache.CachedEvent;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import io.kube4j.store.Watch;
import io.kube4j.store.WatchEvent;
import io.kube4j.store.WatchListener;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The REST verbs on resources: decodes the request, calls the resource's {@link GenericRegistry}, and encodes
 * the answer as JSON or as a Table. Subresources (status, scale, binding, eviction) are handled here too.
 */
public final class ResourceHandler {

    /** Upstream's --min-request-timeout: a watch without timeoutSeconds lasts between this and twice it. */
    private static final long MIN_WATCH_SECONDS = 1800;

    private final Resources resources;
    private final Store store;
    private final ScheduledExecutorService timers;
    /** Null under insecure serving: no admission, no TokenRequest. */
    private final ApiSecurity security;

    public ResourceHandler(Resources resources, Store store, ScheduledExecutorService timers) {
        this(resources, store, timers, null);
    }

    public ResourceHandler(Resources resources, Store store, ScheduledExecutorService timers, ApiSecurity security) {
        this.resources = resources;
        this.store = store;
        this.timers = timers;
        this.security = security;
        this.kubelets = security == null ? io.kube4j.apiserver.proxy.KubeletTransport.PLAIN
                : io.kube4j.apiserver.proxy.KubeletTransport.of(security.pki());
        this.podLogs = new PodLogs(kubelets);
    }

    /** The served resources' registries: OpenAPI reads the custom resources' schemas from their strategies. */
    Resources registries() {
        return resources;
    }

    /** How this server reaches kubelets: HTTPS with its kubelet client certificate under secure serving. */
    io.kube4j.apiserver.proxy.KubeletTransport kubeletTransport() {
        return kubelets;
    }

    public void handle(RequestInfo info, ResourceType type, ApiRequest request, ResponseSink sink) {
        handle(info, type, request, sink, ApiSecurity.INSECURE_USER);
    }

    /** Serves a resource request made by {@code user} (already authenticated and authorized). */
    public void handle(RequestInfo info, ResourceType type, ApiRequest request, ResponseSink sink, UserInfo user) {
        handle(info, type, request, sink, user, null);
    }

    /**
     * Serves a resource request made by {@code user} (already authenticated and authorized); admission adds its audit
     * annotations to {@code audit} (null: the request is not audited).
     */
    public void handle(RequestInfo info, ResourceType type, ApiRequest request, ResponseSink sink, UserInfo user,
                       AuditAnnotations audit) {
        if (type.group().isEmpty() && type.plural().equals("bindings")) {
            bindings(info, type, request, sink);
            return;
        }
        GenericRegistry registry = resources.find(type.group(), type.version(), type.plural())
                .orElseThrow(() -> StatusException.notFound(type.group(), type.plural(), info.name()));
        if (type.namespaced() && info.namespace() == null && info.name() != null) {
            throw StatusException.pathNotFound();
        }
        if (!type.namespaced() && info.namespace() != null) {
            throw StatusException.notFound(type.group(), type.plural(), info.name());
        }
        // pods/log answers text, no object: no conversion is served there (a Table or PartialObjectMetadata clause is
        // passed over for the next), as upstream's log endpoint has no TableConvertor
        MediaTypes.checkResourceAcceptable(request.header("accept"), !"log".equals(info.subresource()));
        boolean dryRun = dryRun(request, info.verb());
        if (info.subresource() != null) {
            // a subresource not served is a path not served, as upstream
            Subresource sub = type.subresource(info.subresource()).orElseThrow(StatusException::pathNotFound);
            if (!sub.verbs().contains(info.verb())) {
                throw StatusException.methodNotAllowed(type.group(), type.plural() + "/" + sub.name(), info.verb());
            }
            handleSubresource(info, type, sub, registry, request, sink, dryRun, user, audit);
            return;
        }
        if (!type.supports(info.verb())) {
            throw StatusException.methodNotAllowed(type.group(), type.plural(), info.verb());
        }
        String ns = info.namespace();
        switch (info.verb()) {
            case "get" -> respondObject(request, sink, 200, type, registry.get(ns, info.name()));
            case "list" -> list(type, registry, ns, request, sink);
            case "watch" -> watch(type, registry, ns, request, sink, info.name());
            case "create" -> {
                FieldValidation validation = FieldValidation.of(request);
                ObjectNode body = writeBody(request, type, validation);
                validation.checkBody(registry, body);
                defaultForAdmission(registry, body);
                validation.addWarnings(admit(Operation.CREATE, type, "", ns, Json.text(body, "metadata", "name"),
                        body, null, user, dryRun, request, audit));
                respondWritten(request, sink, 201, type, registry.createWritten(ns, body, dryRun,
                        manager(request, "CreateOptions")), validation.headers());
            }
            case "update" -> {
                FieldValidation validation = FieldValidation.of(request);
                ObjectNode body = writeBody(request, type, validation);
                validation.checkBody(registry, body);
                // whether it exists picks 200 or 201; the stored object is decoded only if an admission plugin reads
                // it (the update decodes it anyway, and a second parse cost every PUT)
                boolean existed = registry.exists(ns, info.name());
                if (security != null) {
                    registry.applyDefaults(body);
                    Operation operation = existed ? Operation.UPDATE : Operation.CREATE;
                    AdmissionRequest admission = AdmissionRequest.readingOld(operation, type.group(), type.plural(),
                            "", ns, info.name(), body, () -> registry.find(ns, info.name()).orElse(null), user,
                            dryRun);
                    validation.addWarnings(security.admission().admit(forRequest(admission, request, audit)));
                }
                GenericRegistry.Written updated = registry.updateWritten(ns, info.name(), body, dryRun, false,
                        manager(request, "UpdateOptions"));
                respondWritten(request, sink, existed ? 200 : 201, type, updated, validation.headers());
            }
            case "patch" -> patch(type, registry, ns, info.name(), request, sink, dryRun, "", user, audit);
            case "delete" -> {
                DeleteOptions options = DeleteOptionsReader.read(request);
                if (security != null) {
                    ObjectNode old = registry.find(ns, info.name()).orElse(null);
                    if (old != null) {
                        security.admission().admit(withOptions(new AdmissionRequest(Operation.DELETE, type.group(),
                                type.plural(), "", ns, info.name(), null, old, user, options.dryRun()),
                                OperationOptions.delete(options), audit));
                    }
                }
                delete(type, registry, ns, info.name(), request, sink, options);
            }
            case "deletecollection" -> {
                DeleteOptions options = DeleteOptionsReader.read(request);
                List<ObjectNode> deleted = registry.deleteCollection(ns, ListOptions.from(request), options,
                        options.dryRun(), item -> admitCollectionItem(type, ns, item, options, user, audit));
                respondList(request, sink, type, new ListPage(deleted, store.currentRevision(), null, -1));
            }
            default -> throw StatusException.methodNotAllowed(type.group(), type.plural(), info.verb());
        }
    }

    // ---- list and watch ----

    private void list(ResourceType type, GenericRegistry registry, String ns, ApiRequest request, ResponseSink sink) {
        ListOptions options = ListOptions.from(request);
        MediaTypes.Conversion conversion = listConversion(request, type);
        boolean table = conversion != null && conversion.isTable();
        // served from the stored bytes when the registry stores objects as served: no tree per object, and for a
        // Table only the objects its cells are printed from
        var stored = registry.listStored(ns, options, table);
        if (stored.isPresent()) {
            if (table) {
                TableResponses.writeStored(sink, Tables.printer(type, printer(type)), stored.get(),
                        request.param("includeObject"), conversion.apiVersion());
            } else if (conversion != null) {
                PartialObjectMetadataResponses.writeStored(sink, conversion.apiVersion(), stored.get(),
                        item -> item.object() != null ? item.object() : registry.decode(item.kv()));
            } else {
                ListResponses.writeStored(sink, type, stored.get(), item -> Json.bytes(asVersion(type,
                        item.object() != null ? item.object() : registry.decode(item.kv()))));
            }
            return;
        }
        respondList(request, sink, type, registry.list(ns, options));
    }

    private void respondList(ApiRequest request, ResponseSink sink, ResourceType type, ListPage page) {
        MediaTypes.Conversion conversion = listConversion(request, type);
        if (conversion == null) {
            ListResponses.writeDecoded(sink, type, page, item -> Json.bytes(asVersion(type, item)));
        } else if (conversion.isTable()) {
            TableResponses.writeDecoded(sink, Tables.printer(type, printer(type)), page,
                    request.param("includeObject"), conversion.apiVersion());
        } else {
            PartialObjectMetadataResponses.writeDecoded(sink, conversion.apiVersion(), page);
        }
    }

    /** The conversion a list is answered in ({@link ResponseConversions#forList}). */
    private MediaTypes.Conversion listConversion(ApiRequest request, ResourceType type) {
        return ResponseConversions.forList(request, goType(type, true));
    }

    /** The conversion an object is answered in ({@link ResponseConversions#forObject}). */
    private MediaTypes.Conversion objectConversion(ApiRequest request, ResourceType type) {
        return ResponseConversions.forObject(request, goType(type, false));
    }

    /** The Go type upstream's 406 names ({@link ResponseConversions#goType}): unstructured for a custom resource. */
    private String goType(ResourceType type, boolean list) {
        boolean custom = resources.find(type.group(), type.version(), type.plural())
                .map(r -> r.strategy() instanceof io.kube4j.apiserver.crd.CustomResourceStrategy).orElse(false);
        return ResponseConversions.goType(type, list, custom);
    }

    private void watch(ResourceType type, GenericRegistry registry, String ns, ApiRequest request, ResponseSink sink,
                       String name) {
        ListOptions options = ListOptions.from(request);
        if (name != null) {
            // GET .../pods/x?watch=1 watches one object: a field selector on its name
            options = new ListOptions(options.labelSelector(), io.kube4j.api.selector.FieldSelector.parse(
                    "metadata.name=" + name), 0, null, options.resourceVersion(), options.resourceVersionMatch(),
                    options.allowWatchBookmarks(), options.timeoutSeconds(), options.sendInitialEvents());
        }
        Selection selection = registry.selection(ns, options);
        // each event's object is converted alone: a list representation is no answer (upstream's embedded encoder
        // fails every event's conversion; refused here before the stream starts)
        MediaTypes.Conversion conversion = objectConversion(request, type);
        String rv = options.resourceVersion();
        boolean sendInitial = options.sendInitialEvents() != null ? options.sendInitialEvents()
                : rv == null || rv.equals("0");
        if (Boolean.TRUE.equals(options.sendInitialEvents()) && (!"NotOlderThan".equals(options.resourceVersionMatch())
                || !options.allowWatchBookmarks())) {
            throw StatusException.invalid("meta.k8s.io", "ListOptions", "", List.of(new StatusCause(
                    "FieldValueForbidden", "Forbidden: sendInitialEvents requires setting resourceVersionMatch to "
                    + "NotOlderThan and allowWatchBookmarks", "sendInitialEvents")));
        }
        long after = rv == null || rv.equals("0") ? 0 : ListOptions.parseRevision(rv);
        if (MediaTypes.wantsYaml(request.header("accept"))) {
            // YAML has no stream framing: upstream's negotiation finds no stream serializer for it and refuses
            throw StatusException.notAcceptable(List.of(MediaTypes.JSON + ";stream=watch"));
        }
        Function<ObjectNode, byte[]> renderer = renderer(type, request, conversion);
        ResponseSink.StreamWriter writer = sink.stream(200, MediaTypes.JSON, Map.of());
        // a bookmark is converted as every event's object is: as a PartialObjectMetadata, only its kind differs
        boolean partial = conversion != null && conversion.isPartialObjectMetadata();
        ClientWatch client = new ClientWatch(writer, selection, options.allowWatchBookmarks(), renderer,
                partial ? conversion.apiVersion() : type.apiVersion(), partial ? PartialObjectMetadata.KIND
                : type.kind(), sendInitial ? 0 : after, Boolean.TRUE.equals(options.sendInitialEvents()));
        long timeout = options.timeoutSeconds() != null && options.timeoutSeconds() > 0 ? options.timeoutSeconds()
                : MIN_WATCH_SECONDS + ThreadLocalRandom.current().nextLong(MIN_WATCH_SECONDS);
        var timer = timers.schedule(writer::end, timeout, TimeUnit.SECONDS);
        writer.onClose(() -> {
            timer.cancel(false);
            registry.cache().unregister(client);
        });
        long registered = registry.cache().register(client, sendInitial, after);
        if (registered < 0) {
            watchFromStore(registry, client, writer, after);
        }
    }

    /** A watch from a revision the cache no longer holds: the store replays history, or says it is gone. */
    private void watchFromStore(GenericRegistry registry, ClientWatch client, ResponseSink.StreamWriter writer,
                                long after) {
        Watch storeWatch = store.watch(registry.listPrefix(null), after + 1, new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                // read with the registry's cache form: the same objects and attributes the cache would hold
                CachedEvent cached = registry.cache().eventFor(event);
                if (cached == null) {
                    return;
                }
                if (!client.onEvent(cached)) {
                    writer.end();
                }
            }

            @Override
            public void onError(StoreException error) {
                if (error instanceof StoreException.Compacted c) {
                    client.sendError(StatusException.expired("too old resource version: " + after + " ("
                            + c.compactedRevision() + ")"));
                }
                writer.end();
            }

            @Override
            public void onProgress(long revision) {
                client.onProgress(revision);
            }
        });
        writer.onClose(storeWatch::close);
    }

    private Function<ObjectNode, byte[]> renderer(ResourceType type, ApiRequest request,
                                                  MediaTypes.Conversion conversion) {
        if (conversion != null && conversion.isTable()) {
            boolean[] first = {true};
            return obj -> {
                boolean columns = first[0];
                first[0] = false;
                return Json.bytes(Tables.table(type, printer(type), List.of(obj), columns, request.param("includeObject"),
                        Json.text(obj, "metadata", "resourceVersion"), null, -1, conversion.apiVersion()));
            };
        }
        if (conversion != null) {
            return obj -> Json.bytes(PartialObjectMetadata.of(obj, conversion.apiVersion()));
        }
        // each version's registry decodes into its own form (StoredForm), so events are sent as they are
        return null;
    }

    // ---- patch and server-side apply ----

    /** A patch of the main resource ({@code subresource} "") or through a subresource that writes the parent's kind. */
    private void patch(ResourceType type, GenericRegistry registry, String ns, String name, ApiRequest request,
                       ResponseSink sink, boolean dryRun, String subresource, UserInfo user, AuditAnnotations audit) {
        boolean apply = isApply(request);
        String fieldManager = request.param("fieldManager");
        List<StatusCause> causes = new java.util.ArrayList<>();
        if (apply && (fieldManager == null || fieldManager.isEmpty())) {
            causes.add(new StatusCause("FieldValueRequired", "Required value: is required for apply patch",
                    "fieldManager"));
        }
        if (!apply && request.hasParam("force")) {
            causes.add(new StatusCause("FieldValueForbidden", "Forbidden: may not be specified for non-apply patch",
                    "force"));
        }
        if (!causes.isEmpty()) {
            throw StatusException.invalid("meta.k8s.io", "PatchOptions", "", causes);
        }
        if (!apply) {
            FieldValidation validation = FieldValidation.of(request);
            UnaryOperator<ObjectNode> patcher = patcher(type, request);
            validation.scanDuplicates(request);
            String patchType = MediaTypes.bodyType(request.header("content-type"));
            respondWritten(request, sink, 200, type, registry.patchWritten(ns, name, current -> {
                ObjectNode patched = EmptyMetadata.drop(patcher.apply(current));
                // upstream quotes the decoded patch of a strategic merge patch, the patched object otherwise
                validation.checkPatched(registry, patched, patchType.equals(MediaTypes.STRATEGIC_PATCH)
                        ? () -> PatchedValues.goMap(parse(request.body(), false))
                        : () -> PatchedValues.goJson(patched), patchType.equals(MediaTypes.JSON_PATCH));
                defaultForAdmission(registry, patched);
                validation.addWarnings(admit(Operation.UPDATE, type, subresource, ns, name, patched, current, user,
                        dryRun, request, audit));
                return patched;
            }, dryRun, subresource, manager(request, "PatchOptions")), validation.headers());
            return;
        }
        String manager = manager(request, "PatchOptions");
        JsonNode config = parse(request.body(), true);
        if (!(config instanceof ObjectNode applied)) {
            throw StatusException.badRequest("the body of the request is not a JSON object");
        }
        // unknown fields of an apply configuration are refused; duplicates refused (Strict) or warned about (Warn)
        FieldValidation validation = FieldValidation.of(request);
        validation.scanDuplicates(request);
        validation.checkApplied(registry, applied);
        if (security != null) {
            // admission sees what apply would store: a dry run first (its mutations are not kept)
            ObjectNode old = registry.find(ns, name).orElse(null);
            GenericRegistry.Applied preview = registry.apply(ns, name, applied.deepCopy(), manager,
                    request.booleanParam("force"), true, subresource);
            validation.addWarnings(admit(old == null ? Operation.CREATE : Operation.UPDATE, type, subresource, ns,
                    name, preview.object().deepCopy(), old, user, dryRun, request, audit));
        }
        // served on the main resource and on every subresource that writes the parent's kind (status,
        // pods/ephemeralcontainers), as upstream's
        GenericRegistry.Applied result = registry.apply(ns, name, applied, manager, request.booleanParam("force"),
                dryRun, subresource);
        respondObject(request, sink, result.created() ? 201 : 200, type, result.object(), validation.headers());
    }

    private static boolean isApply(ApiRequest request) {
        String contentType = MediaTypes.bodyType(request.header("content-type"));
        return contentType.equals(MediaTypes.APPLY_PATCH);
    }

    /** The field manager of a write: the fieldManager parameter (validated as upstream) or the User-Agent's. */
    private static String manager(ApiRequest request, String optionsKind) {
        String fieldManager = request.param("fieldManager");
        if (fieldManager != null && !fieldManager.isEmpty()) {
            List<StatusCause> causes = ManagedFields.validateFieldManager(fieldManager, "fieldManager");
            if (!causes.isEmpty()) {
                throw StatusException.invalid("meta.k8s.io", optionsKind, "", causes);
            }
        }
        return FieldManager.managerOrUserAgent(fieldManager, request.header("user-agent"));
    }

    // ---- delete ----

    private void delete(ResourceType type, GenericRegistry registry, String ns, String name, ApiRequest request,
                        ResponseSink sink, DeleteOptions options) {
        GenericRegistry.Deletion deletion = type.group().isEmpty() && type.plural().equals("namespaces")
                ? resources.namespaces().delete(registry, name, options, options.dryRun())
                : registry.delete(ns, name, options, options.dryRun());
        if (!deletion.deleted() || type.kind().equals("Pod")) {
            // upstream's 202 for an object only marked for deletion whose client set orphanDependents=false
            int code = !deletion.deleted() && Boolean.FALSE.equals(options.orphanDependents()) ? 202 : 200;
            respondObject(request, sink, code, type, deletion.object());
            return;
        }
        sink.send(200, MediaTypes.JSON, Json.bytes(Statuses.success(type.group(), type.plural(), name,
                Json.text(deletion.object(), "metadata", "uid"))));
    }

    // ---- subresources ----

    private final io.kube4j.apiserver.proxy.KubeletTransport kubelets;
    private final PodLogs podLogs;

    private void handleSubresource(RequestInfo info, ResourceType type, Subresource sub, GenericRegistry registry,
                                   ApiRequest request, ResponseSink sink, boolean dryRun, UserInfo user,
                                   AuditAnnotations audit) {
        String ns = info.namespace();
        String name = info.name();
        switch (sub.name()) {
            // certificatesigningrequests/approval: a write subresource of its own (the CSR strategy keeps all but the
            // conditions), served as status is
            case "status", "approval" -> {
                switch (info.verb()) {
                    case "get" -> respondObject(request, sink, 200, type, registry.get(ns, name));
                    case "update" -> {
                        FieldValidation validation = FieldValidation.of(request);
                        ObjectNode body = objectBody(request, type);
                        validation.checkBody(registry, body);
                        defaultForAdmission(registry, body);
                        validation.addWarnings(admit(Operation.UPDATE, type, sub.name(), ns, name, body,
                                registry.find(ns, name).orElse(null), user, dryRun, request, audit));
                        respondObject(request, sink, 200, type, registry.updateWritten(ns, name, body, dryRun,
                                sub.name(), manager(request, "UpdateOptions")).object(), validation.headers());
                    }
                    // upstream's approval REST serves get and update, hence patch and server-side apply too
                    case "patch" -> patch(type, registry, ns, name, request, sink, dryRun, sub.name(), user,
                            audit);
                    default -> throw StatusException.methodNotAllowed(type.group(), type.plural() + "/" + sub.name(),
                            info.verb());
                }
            }
            case PodStrategy.EPHEMERAL_CONTAINERS -> ephemeralContainers(info, type, sub, registry, request, sink,
                    dryRun, user, audit);
            case "scale" -> scale(info, type, registry, request, sink, dryRun);
            case "finalize" -> respondObject(request, sink, 200, type,
                    resources.namespaces().finalize(registry, name, objectBody(request), dryRun));
            case "binding" -> bind(registry, ns, name, objectBody(request), sink, dryRun);
            case "log" -> {
                ObjectNode pod = registry.get(ns, name);
                String nodeName = Json.text(pod, "spec", "nodeName");
                if (nodeName == null || nodeName.isEmpty()) {
                    throw StatusException.badRequest("pod " + name + " does not have a host assigned");
                }
                ObjectNode node = resources.find("", "v1", "nodes").orElseThrow().get(null, nodeName);
                podLogs.serve(pod, node, request, sink);
            }
            case "eviction" -> {
                // upstream admits the Eviction as a create of pods/eviction: NodeRestriction keeps a node to its own
                // pods, webhooks on pods/eviction see it
                ObjectNode eviction = objectBody(request);
                admit(Operation.CREATE, type, sub.name(), ns, name, eviction, null, user, dryRun, request, audit);
                new PodEviction(registry, resources.find("policy", "v1", "poddisruptionbudgets").orElseThrow(),
                        java.time.Clock.systemUTC()).evict(ns, name, eviction, dryRun);
                ObjectNode status = Statuses.success(type.group(), type.plural(), name, null);
                status.remove("details");
                sink.send(201, MediaTypes.JSON, Json.bytes(status));
            }
            case "token" -> {
                if (security == null || !type.plural().equals("serviceaccounts")) {
                    throw StatusException.notImplemented("the subresource " + sub.name() + " of " + type.plural()
                            + " is not served without secure serving");
                }
                ObjectNode answer = security.tokenIssuer().tokenRequest(registry.get(ns, name), objectBody(request),
                        security.lookup());
                sink.send(201, MediaTypes.JSON, Json.bytes(answer));
            }
            default -> throw StatusException.notImplemented("the subresource " + sub.name() + " of " + type.plural()
                    + " is not served yet");
        }
    }

    /**
     * {@code pods/ephemeralcontainers}, upstream's EphemeralContainersREST: reads and writes the Pod itself, and a
     * write changes spec.ephemeralContainers only (PodStrategy) under their own rules (containers added, never
     * removed or changed).
     */
    private void ephemeralContainers(RequestInfo info, ResourceType type, Subresource sub, GenericRegistry registry,
                                     ApiRequest request, ResponseSink sink, boolean dryRun, UserInfo user,
                                     AuditAnnotations audit) {
        String ns = info.namespace();
        String name = info.name();
        switch (info.verb()) {
            case "get" -> respondObject(request, sink, 200, type, registry.get(ns, name));
            case "update" -> {
                FieldValidation validation = FieldValidation.of(request);
                ObjectNode body = writeBody(request, type, validation);
                validation.checkBody(registry, body);
                defaultForAdmission(registry, body);
                validation.addWarnings(admit(Operation.UPDATE, type, sub.name(), ns, name, body,
                        registry.find(ns, name).orElse(null), user, dryRun, request, audit));
                respondWritten(request, sink, 200, type, registry.updateWritten(ns, name, body, dryRun, sub.name(),
                        manager(request, "UpdateOptions")), validation.headers());
            }
            case "patch" -> patch(type, registry, ns, name, request, sink, dryRun, sub.name(), user, audit);
            default -> throw StatusException.methodNotAllowed(type.group(), type.plural() + "/" + sub.name(),
                    info.verb());
        }
    }

    /**
     * v1 {@code bindings}, as upstream's BindingREST: nothing stored, only a create on a namespace's collection, which
     * binds the pod the Binding names as {@code pods/NAME/binding} does.
     */
    private void bindings(RequestInfo info, ResourceType type, ApiRequest request, ResponseSink sink) {
        UnstoredRoutes.check(info, type, request);
        bind(resources.find("", "v1", "pods").orElseThrow(), info.namespace(), null, objectBody(request), sink,
                dryRun(request, "create"));
    }

    /** Binds a pod to a node, as the scheduler does: sets spec.nodeName once. */
    private void bind(GenericRegistry pods, String ns, String podName, ObjectNode binding, ResponseSink sink,
                      boolean dryRun) {
        String name = podName != null ? podName : Json.text(binding, "metadata", "name");
        String node = Json.text(binding, "target", "name");
        if (name == null || name.isEmpty() || node == null || node.isEmpty()) {
            throw StatusException.invalid("", "Binding", name == null ? "" : name, List.of(new StatusCause(
                    "FieldValueRequired", "Required value", "target.name")));
        }
        pods.systemUpdate(ns, name, dryRun, current -> {
            String existing = Json.text(current, "spec", "nodeName");
            if (existing != null && !existing.isEmpty()) {
                throw StatusException.conflict("", "pods/binding", name, "pod " + name + " is already assigned to node \""
                        + existing + "\"");
            }
            if (current.path("metadata").has("deletionTimestamp")) {
                throw StatusException.conflict("", "pods/binding", name, "pod " + name + " is being deleted, cannot "
                        + "be assigned to a host");
            }
            // One write, as upstream's binding storage (setPodHostAndAnnotations): spec.nodeName and the PodScheduled
            // condition together, so a binding costs one durable write and one watch event per watcher, not two.
            ObjectNode copy = current.deepCopy();
            Json.child(copy, "spec").put("nodeName", node);
            ArrayNode conditions = Json.child(copy, "status").withArray("conditions");
            for (int i = conditions.size() - 1; i >= 0; i--) {
                if ("PodScheduled".equals(conditions.get(i).path("type").asString(""))) {
                    conditions.remove(i);
                }
            }
            ObjectNode condition = conditions.addObject();
            condition.put("type", "PodScheduled");
            condition.put("status", "True");
            condition.putNull("lastProbeTime");
            condition.put("lastTransitionTime", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .toString());
            return copy;
        });
        // upstream's BindingREST answers a bare Success, to which its create handler adds the 201
        ObjectNode status = Statuses.success("", "", null, null);
        status.remove("details");
        status.put("code", 201);
        sink.send(201, MediaTypes.JSON, Json.bytes(status));
    }

    private void scale(RequestInfo info, ResourceType type, GenericRegistry registry, ApiRequest request,
                       ResponseSink sink, boolean dryRun) {
        String ns = info.namespace();
        String name = info.name();
        ObjectNode result;
        switch (info.verb()) {
            case "get" -> result = registry.get(ns, name);
            case "update", "patch" -> {
                boolean patch = info.verb().equals("patch");
                ObjectNode body = patch ? null : objectBody(request);
                UnaryOperator<ObjectNode> patcher = patch ? patcher(scaleType(), request) : null;
                result = registry.guaranteedUpdate(ns, name, true, dryRun, false, current -> {
                    ObjectNode scale = toScale(registry, current);
                    ObjectNode wanted = patch ? patcher.apply(scale.deepCopy()) : body;
                    String rv = Json.text(wanted, "metadata", "resourceVersion");
                    if (rv != null && !rv.isEmpty() && !rv.equals(Json.text(current, "metadata", "resourceVersion"))) {
                        throw StatusException.staleResourceVersion(type.group(), type.plural(), name);
                    }
                    JsonNode replicas = wanted.path("spec").path("replicas");
                    if (!replicas.isMissingNode() && (!replicas.isIntegralNumber() || replicas.asInt() < 0)) {
                        throw StatusException.invalid("autoscaling", "Scale", name, List.of(new StatusCause(
                                "FieldValueInvalid", "Invalid value: " + replicas + ": must be greater than or equal "
                                + "to 0", "spec.replicas")));
                    }
                    ObjectNode copy = current.deepCopy();
                    if (!registry.strategy().setScaleReplicas(copy, replicas.isMissingNode() ? 0 : replicas.asLong())) {
                        Json.child(copy, "spec").put("replicas", replicas.isMissingNode() ? 0 : replicas.asInt());
                    }
                    Json.metadata(copy).remove("resourceVersion");
                    return copy;
                });
            }
            default -> throw StatusException.methodNotAllowed(type.group(), type.plural() + "/scale", info.verb());
        }
        // a Scale is an object like any other: a Table or a PartialObjectMetadata of it when asked (upstream's scale
        // endpoints convert their answer as every endpoint does); its Table is the scaled resource's own printer's
        // when it has one (a custom resource's columns, as upstream's scale endpoint asks its store), else Scale's
        sink.send(200, MediaTypes.JSON, Json.bytes(represented(request, scaleType(), toScale(registry, result),
                registry.strategy().tablePrinter())), Map.of());
    }

    private static ResourceType scaleType() {
        return new ResourceType("autoscaling", "v1", "Scale", "scale", "scale", true, List.of(), List.of(),
                List.of("get", "update", "patch"), List.of());
    }

    private static ObjectNode toScale(GenericRegistry registry, ObjectNode obj) {
        ObjectNode custom = registry.strategy().toScale(obj);
        return custom != null ? custom : toScale(obj);
    }

    private static ObjectNode toScale(ObjectNode obj) {
        ObjectNode scale = Json.object();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (obj.path("metadata").has(field)) {
                metadata.set(field, obj.path("metadata").get(field).deepCopy());
            }
        }
        scale.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", obj.path("status").path("replicas").asInt(0));
        JsonNode selector = obj.path("spec").path("selector");
        if (selector.isObject()) {
            try {
                status.put("selector", LabelSelector.fromJson(selector).toString());
            } catch (IllegalArgumentException ignored) {
                // an invalid selector is not shown
            }
        } else if (selector.isObject() || !selector.isMissingNode()) {
            status.put("selector", Json.stringMap(selector).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + "," + b).orElse(""));
        }
        return scale;
    }

    // ---- admission ----

    /**
     * Runs the admission chain (secure serving only) on a write before it is stored; mutating plugins change
     * {@code object} in place, a refusal is a StatusException and nothing is stored. Returns the plugins' warnings.
     */
    /** Defaults {@code object} before admission sees it, as upstream's decoding does; nothing when nobody admits. */
    private void defaultForAdmission(GenericRegistry registry, ObjectNode object) {
        if (security != null) {
            registry.applyDefaults(object);
        }
    }

    private List<String> admit(Operation operation, ResourceType type, String subresource, String ns, String name,
                               ObjectNode object, ObjectNode old, UserInfo user, boolean dryRun, ApiRequest request,
                               AuditAnnotations audit) {
        if (security == null) {
            return List.of();
        }
        return security.admission().admit(forRequest(new AdmissionRequest(operation, type.group(), type.plural(),
                subresource, ns, name, object, old, user, dryRun), request, audit));
    }

    /**
     * Admission of one object a deletecollection is about to delete, as upstream's deleteValidation sees it: a DELETE
     * with the object as oldObject and the request's own attributes - its namespace, and no name.
     */
    private void admitCollectionItem(ResourceType type, String ns, ObjectNode item, DeleteOptions options,
                                     UserInfo user, AuditAnnotations audit) {
        if (security != null) {
            security.admission().admit(withOptions(new AdmissionRequest(Operation.DELETE, type.group(), type.plural(),
                    "", ns, "", null, item, user, options.dryRun()), OperationOptions.delete(options), audit));
        }
    }

    /** {@code admission} with the operation's options, adding its audit annotations to {@code audit} (if any). */
    private static AdmissionRequest forRequest(AdmissionRequest admission, ApiRequest request,
                                               AuditAnnotations audit) {
        return withOptions(admission, OperationOptions.of(admission.operation(), request), audit);
    }

    /** {@code admission} with {@code options}, adding its audit annotations to {@code audit} (if any). */
    private static AdmissionRequest withOptions(AdmissionRequest admission, ObjectNode options,
                                                AuditAnnotations audit) {
        admission.withOptions(options);
        return audit == null ? admission : admission.auditingTo(audit);
    }

    // ---- bodies and answers ----

    private UnaryOperator<ObjectNode> patcher(ResourceType type, ApiRequest request) {
        String contentType = MediaTypes.bodyType(request.header("content-type"));
        if (!MediaTypes.PATCH_TYPES.contains(contentType)) {
            throw StatusException.unsupportedMediaType(contentType, List.of(MediaTypes.JSON_PATCH,
                    MediaTypes.MERGE_PATCH, MediaTypes.STRATEGIC_PATCH, MediaTypes.APPLY_PATCH));
        }
        if (contentType.equals(MediaTypes.STRATEGIC_PATCH) && !resources.find(type.group(), type.version(),
                type.plural()).map(r -> r.strategy().supportsStrategicMergePatch()).orElse(true)) {
            throw StatusException.unsupportedMediaType(contentType, List.of(MediaTypes.JSON_PATCH,
                    MediaTypes.MERGE_PATCH, MediaTypes.APPLY_PATCH));
        }
        JsonNode patch = parse(request.body(), false);
        return current -> {
            JsonNode result;
            try {
                result = switch (contentType) {
                    case MediaTypes.JSON_PATCH -> JsonPatch.apply(current, patch);
                    case MediaTypes.MERGE_PATCH -> MergePatch.apply(current, patch);
                    default -> StrategicMergePatch.apply(current, patch, BuiltinPatchSchema.instance(), type.group(),
                            type.kind());
                };
            } catch (PatchException e) {
                if (e.statusCode() == 415) {
                    throw StatusException.unsupportedMediaType(contentType, List.of(MediaTypes.JSON_PATCH,
                            MediaTypes.MERGE_PATCH));
                }
                if (e.statusCode() == 422) {
                    throw new StatusException(io.kube4j.api.status.StatusReason.INVALID, e.getMessage(), null);
                }
                throw StatusException.badRequest(e.getMessage());
            }
            if (!(result instanceof ObjectNode obj)) {
                throw StatusException.badRequest("the patch does not result in an object");
            }
            return obj;
        };
    }

    /** The request body as a JSON object, decoded from JSON, YAML or protobuf by its Content-Type. */
    public static ObjectNode objectBody(ApiRequest request) {
        String contentType = MediaTypes.bodyType(request.header("content-type"));
        JsonNode node;
        if (contentType.equals(MediaTypes.JSON) || contentType.equals("*/*")) {
            node = parse(request.body(), false);
        } else if (contentType.equals(MediaTypes.YAML) || contentType.equals("application/x-yaml")
                || contentType.equals("text/yaml")) {
            node = parse(request.body(), true);
        } else if (KubeProtobuf.isProtobuf(contentType)) {
            try {
                node = KubeProtobuf.decode(request.body());
            } catch (ProtobufDecodeException e) {
                throw StatusException.badRequest("the body of the request could not be decoded: " + e.getMessage());
            }
        } else {
            throw StatusException.unsupportedMediaType(contentType, MediaTypes.BODY_TYPES);
        }
        if (!(node instanceof ObjectNode obj)) {
            throw StatusException.badRequest("the body of the request is not a JSON object");
        }
        return obj;
    }

    /**
     * {@link #objectBody(ApiRequest)} for the body of a create or update of {@code type}: a body whose kind cannot be
     * read is refused in upstream's words (see {@link DecodeErrors}).
     */
    static ObjectNode objectBody(ApiRequest request, ResourceType type) {
        String contentType = MediaTypes.bodyType(request.header("content-type"));
        byte[] body = request.body();
        if (contentType.equals(MediaTypes.JSON) || contentType.equals("*/*")) {
            String error = DecodeErrors.typeMetaError(body);
            if (error != null) {
                throw StatusException.badRequest(DecodeErrors.unrecognized(type.kind(), body, error));
            }
        } else if (body.length > 0 && (contentType.equals(MediaTypes.YAML)
                || contentType.equals("application/x-yaml") || contentType.equals("text/yaml"))) {
            JsonNode node;
            try {
                node = Json.YAML.readTree(body);
            } catch (JacksonException e) {
                String problem = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
                int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
                throw StatusException.badRequest(DecodeErrors.unrecognized(type.kind(), body,
                        "error converting YAML to JSON: yaml: " + (line > 0 ? "line " + line + ": " : "") + problem));
            }
            if (!(node instanceof ObjectNode obj)) {
                throw StatusException.badRequest("the body of the request is not a JSON object");
            }
            return EmptyMetadata.drop(obj);
        }
        return EmptyMetadata.drop(objectBody(request));
    }

    /** Reads a JSON tree and fails on a key given twice in one object, instead of keeping the last value. */
    private static final tools.jackson.databind.ObjectReader NO_DUPLICATES = Json.MAPPER.reader()
            .with(tools.jackson.databind.DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /**
     * The body of a create or update (PUT), with its duplicate keys noted in {@code validation}: a JSON body Go's
     * decoder reads as an object is parsed once, failing on a duplicate key, and when none is found (nearly always)
     * that one tree is the body. Anything else - a duplicate, a body that is not an object, not JSON or not valid -
     * takes the general path ({@link #objectBody(ApiRequest, ResourceType)}, then the duplicate scan), which reads
     * the body again to word its answer as upstream does: checking the kind, parsing and scanning for duplicates
     * one after the other cost every create three passes over its body.
     * <p>Go's syntax check ({@link GoJsonSyntax}) is not run on the fast path: whatever Jackson's strict parser
     * reads as one object with nothing after it, Go reads too, except a leading byte-order mark, which is why the
     * body must start with '{'. Everything Jackson refuses takes the general path, whose answer runs the Go check
     * (it was a whole extra pass over every body, a visible part of an update's CPU).
     */
    public static ObjectNode writeBody(ApiRequest request, ResourceType type, FieldValidation validation) {
        String contentType = MediaTypes.bodyType(request.header("content-type"));
        byte[] body = request.body();
        if ((contentType.equals(MediaTypes.JSON) || contentType.equals("*/*")) && startsAnObject(body)) {
            JsonNode node;
            try {
                node = NO_DUPLICATES.readTree(body);
            } catch (JacksonException e) {
                node = null;
            }
            if (node instanceof ObjectNode obj) {
                return EmptyMetadata.drop(obj);
            }
        }
        ObjectNode obj = objectBody(request, type);
        validation.scanDuplicates(request);
        return obj;
    }

    /** Whether the first byte after JSON's whitespace opens an object. */
    private static boolean startsAnObject(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }

    private static JsonNode parse(byte[] body, boolean yaml) {
        if (body.length == 0) {
            throw StatusException.badRequest("the body of the request is empty");
        }
        try {
            return yaml ? Json.YAML.readTree(body) : Json.parse(body);
        } catch (JacksonException e) {
            throw StatusException.badRequest("the body of the request could not be decoded: "
                    + e.getOriginalMessage());
        }
    }

    /**
     * Answers a create or update with the object written: as its stored bytes with its resourceVersion when they
     * are the answer (JSON, same apiVersion), else encoded from the object.
     */
    private void respondWritten(ApiRequest request, ResponseSink sink, int code, ResourceType type,
                                GenericRegistry.Written written, Map<String, String> headers) {
        byte[] json = objectConversion(request, type) != null ? null : written.servedBytes(type.apiVersion());
        if (json == null) {
            respondObject(request, sink, code, type, written.object(), headers);
            return;
        }
        sink.send(code, MediaTypes.JSON, json, headers);
    }

    private void respondObject(ApiRequest request, ResponseSink sink, int code, ResourceType type, ObjectNode obj,
                               Map<String, String> headers) {
        sink.send(code, MediaTypes.JSON, Json.bytes(represented(request, type, obj)), headers);
    }

    private void respondObject(ApiRequest request, ResponseSink sink, int code, ResourceType type, ObjectNode obj) {
        respondObject(request, sink, code, type, obj, Map.of());
    }

    /**
     * {@code obj} as the Accept header asks (upstream's transformResponseObject): a Table (with the resource's own
     * printer: custom resources' columns), a PartialObjectMetadata, or the object in the version requested.
     */
    private ObjectNode represented(ApiRequest request, ResourceType type, ObjectNode obj) {
        return represented(request, type, obj, printer(type));
    }

    /** As above, a Table printed with {@code printer} (null: the kind's own). */
    private ObjectNode represented(ApiRequest request, ResourceType type, ObjectNode obj,
                                   io.kube4j.api.printers.TablePrinter printer) {
        MediaTypes.Conversion conversion = objectConversion(request, type);
        if (conversion == null) {
            return asVersion(type, obj);
        }
        if (conversion.isTable()) {
            return Tables.table(type, printer, List.of(obj), true, request.param("includeObject"), null, null,
                    -1, conversion.apiVersion());
        }
        return PartialObjectMetadata.of(obj, conversion.apiVersion());
    }

    private io.kube4j.api.printers.TablePrinter printer(ResourceType type) {
        return resources.find(type.group(), type.version(), type.plural())
                .map(r -> r.strategy().tablePrinter()).orElse(null);
    }

    /**
     * Labels the object with the version asked for. Versions whose shapes differ convert in their registry's
     * StoredForm (autoscaling/v1 HPAs); this only relabels objects whose shape is the same in every version.
     */
    private static ObjectNode asVersion(ResourceType type, ObjectNode obj) {
        if (type.apiVersion().equals(Json.text(obj, "apiVersion"))) {
            return obj;
        }
        ObjectNode copy = obj.deepCopy();
        copy.put("apiVersion", type.apiVersion());
        return copy;
    }

    /**
     * Whether the {@code dryRun} parameter asks a create, update or patch ({@code verb}, of a resource or a
     * subresource) to store nothing; a value but All refuses the write's options object, as upstream validates
     * them. Deletes read theirs with their DeleteOptions ({@link DeleteOptionsReader}), and reads have no options
     * to validate: upstream ignores the parameter there.
     */
    private static boolean dryRun(ApiRequest request, String verb) {
        String optionsKind = switch (verb) {
            case "create" -> "CreateOptions";
            case "update" -> "UpdateOptions";
            case "patch" -> "PatchOptions";
            default -> null;
        };
        return optionsKind != null && DryRun.requested(request.query().get("dryRun"), optionsKind);
    }
}

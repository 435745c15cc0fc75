package io.kube4j.apiserver.registry;

import io.kube4j.api.apply.ApplyResult;
import io.kube4j.api.apply.FieldManager;
import io.kube4j.api.apply.ManagedFields;
import io.kube4j.api.apply.ManagedFieldsEntry;
import io.kube4j.api.apply.VersionConverter;
import io.kube4j.api.defaults.Defaults;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.StatusReason;
import io.kube4j.api.validation.FieldError;
import io.kube4j.api.validation.Validator;
import io.kube4j.api.validation.Validators;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.watchcache.CachedObject;
import io.kube4j.apiserver.watchcache.WatchCache;
import io.kube4j.store.KeyValue;
import io.kube4j.store.ListResult;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The one store behind every resource, as upstream's generic registry: get, list, create, update, patch,
 * delete and deletecollection on JSON objects kept under {@code /registry/<resource>/<namespace>/<name>}, with
 * the resource's {@link ResourceStrategy} deciding what is particular to it.
 */
public final class GenericRegistry {

    /**
     * The field manager of the objects the API server writes itself (system namespaces, Service and endpoints
     * {@code default/kubernetes}, the default RBAC policy, the system priority classes): upstream writes them through
     * its loopback client, whose User-Agent names kube-apiserver.
     */
    public static final String SERVER_MANAGER = "kube-apiserver";
    private static final int MAX_GENERATE_NAME_ATTEMPTS = 8;
    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The top-level fields whose change is not a spec change (no generation bump). */
    private static final Set<String> NOT_SPEC = Set.of("metadata", "status", "apiVersion", "kind");
    /**
     * How long a list waits for the watch cache to catch up with the revision it must reflect before reading the
     * store instead. The cache is normally a few milliseconds behind at most; the store always gives the answer,
     * at a higher cost, so this only bounds the extra latency of a lagging cache.
     */
    private static final long FRESH_WAIT_MILLIS = 250;

    private final ResourceType type;
    private final ResourceStrategy strategy;
    private final Store store;
    private final String prefix;
    private final WatchCache cache;
    private final NamespaceGuard namespaces;
    private final Clock clock;
    private final Leases leases;
    private final FieldManager fieldManager;
    private final StoredForm storedForm;
    /** The kind's defaulting and validation, looked up once rather than by a group/kind key per write. */
    private final Consumer<ObjectNode> defaults;
    private final Validator validator;

    public GenericRegistry(ResourceType type, ResourceStrategy strategy, Store store, String prefix, WatchCache cache,
                           NamespaceGuard namespaces, Clock clock, Leases leases) {
        this(type, strategy, store, prefix, cache, namespaces, clock, leases, StoredForm.AS_SERVED);
    }

    /** A registry whose objects are stored in another form ({@code cache} must decode to the served form). */
    public GenericRegistry(ResourceType type, ResourceStrategy strategy, Store store, String prefix, WatchCache cache,
                           NamespaceGuard namespaces, Clock clock, Leases leases, StoredForm storedForm) {
        this.storedForm = storedForm;
        // owners that wrote in another version of this kind are compared in theirs; a kind served in one version
        // converts to none, which lets the field manager's shortcut answer whatever versions its owners name
        this.fieldManager = new FieldManager(VersionConverter.of(storedForm.versions(), storedForm::toVersion));
        this.type = type;
        this.defaults = Defaults.forKind(type.group(), type.kind());
        this.validator = Validators.forKind(type.group(), type.kind());
        this.strategy = strategy;
        this.store = store;
        this.prefix = prefix;
        this.cache = cache;
        this.namespaces = namespaces;
        this.clock = clock;
        this.leases = leases;
    }

    public ResourceType type() {
        return type;
    }

    public ResourceStrategy strategy() {
        return strategy;
    }

    /** The resource's watch cache; null for a resource clients may not watch, whose reads go to the store. */
    public WatchCache cache() {
        return cache;
    }

    public String key(String namespace, String name) {
        return type.namespaced() ? prefix + namespace + "/" + name : prefix + name;
    }

    /** The key prefix of a namespace's objects, or of all of them ({@code namespace} null). */
    public String listPrefix(String namespace) {
        return type.namespaced() && namespace != null ? prefix + namespace + "/" : prefix;
    }

    // ---- read ----

    public ObjectNode get(String namespace, String name) {
        return find(namespace, name).orElseThrow(() -> notFound(name));
    }

    public Optional<ObjectNode> find(String namespace, String name) {
        return store.get(key(namespace, name)).map(this::decode);
    }

    /**
     * The object as the watch cache holds it (a new tree), as upstream's listers read their informer: it may trail the
     * store by a moment, so empty - also for a resource without a cache - does not mean the object does not exist.
     */
    public Optional<ObjectNode> findCached(String namespace, String name) {
        CachedObject cached = cache == null ? null : cache.current(key(namespace, name));
        return cached == null ? Optional.empty() : Optional.of(cached.object());
    }

    /** Whether the object is stored, without decoding it. */
    public boolean exists(String namespace, String name) {
        return store.get(key(namespace, name)).isPresent();
    }

    /** A list: from the watch cache when it may serve it (see {@link #fromCache}), else from the store (paged). */
    public ListPage list(String namespace, ListOptions options) {
        Selection selection = selection(namespace, options);
        WatchCache.StoredSnapshot snapshot = fromCache(namespace, options);
        if (snapshot != null) {
            boolean everything = selection.selectsEverythingInScope();
            List<ObjectNode> items = new ArrayList<>();
            for (CachedObject cached : snapshot.items()) {
                if (everything || selection.matches(cached)) {
                    items.add(cached.object());
                }
            }
            return new ListPage(items, snapshot.revision(), null, -1);
        }
        Paged<ObjectNode> page = storeList(namespace, options, selection, kv -> {
            ObjectNode obj = decode(kv);
            return selection.matches(obj) ? obj : null;
        });
        return new ListPage(page.items(), page.revision(), page.continueToken(), page.remainingItemCount());
    }

    /**
     * The same list as {@link #list} as the stored values of its objects, for a response written from them
     * without decoding and encoding every object; empty when the objects are not served as stored (another form).
     * A list the watch cache may serve ({@link #fromCache}) comes from it, selected by the attributes it keeps; from
     * the store an object is decoded only to match a label or field selector (not when the watch cache holds that
     * version of it), when {@link StoredJson} cannot vouch for its bytes, or with {@code withObjects} (a Table needs
     * each object for its cells).
     */
    public Optional<StoredListPage> listStored(String namespace, ListOptions options, boolean withObjects) {
        Selection selection = selection(namespace, options);
        if (!storedForm.servesStoredBytes()) {
            return Optional.empty();
        }
        byte[] apiVersion = StoredJson.quoted(type.apiVersion());
        byte[] inNamespace = selection.namespace() == null ? null : StoredJson.quoted(selection.namespace());
        // a cached object's item (its offsets in the stored bytes) is made once, by the first list that reads it, and
        // shared by the lists after it; its namespace needs no check in the bytes, as the selection matches the
        // cached attributes. It holds no object (the cache keeps none): one whose bytes cannot be served as they are
        // is decoded by the writer, and a Table's items get theirs decoded per list (cachedItem below)
        Function<CachedObject, StoredListPage.Item> sharedItem = cached -> StoredListPage.Item.of(cached.stored(),
                StoredJson.slots(cached.stored().value(), apiVersion, null), null);
        ItemAs itemKey = new ItemAs(type.apiVersion());
        Function<CachedObject, StoredListPage.Item> cachedItem = cached -> {
            StoredListPage.Item shared = cached.derived(itemKey, sharedItem);
            return withObjects ? new StoredListPage.Item(shared.kv(), shared.resourceVersionSlot(),
                    shared.metadataStart(), cached.object()) : shared;
        };
        // the key prefix is the namespace's: with no label or field selector every object under it is selected,
        // and a large list then never reads its objects (their maps, scattered over the heap, cost a cache miss
        // each - the most expensive step of serving one)
        boolean everything = selection.selectsEverythingInScope();
        WatchCache.StoredSnapshot snapshot = fromCache(namespace, options);
        if (snapshot != null) {
            List<StoredListPage.Item> items = new ArrayList<>(snapshot.items().size());
            for (CachedObject cached : snapshot.items()) {
                if (everything || selection.matches(cached)) {
                    items.add(cachedItem.apply(cached));
                }
            }
            return Optional.of(new StoredListPage(items, snapshot.revision(), null, -1));
        }
        Paged<StoredListPage.Item> page = storeList(namespace, options, selection, kv -> {
            CachedObject cached = cache == null ? null : cache.cached(kv);
            if (cached != null) {
                // the same key at the same mod revision: the cache's entry holds these very bytes
                return everything || selection.matches(cached) ? cachedItem.apply(cached) : null;
            }
            StoredJson.Slots slots = StoredJson.slots(kv.value(), apiVersion, inNamespace);
            if (slots != null && everything && !withObjects) {
                return StoredListPage.Item.of(kv, slots, null);
            }
            ObjectNode obj = decode(kv);
            return selection.matches(obj) ? StoredListPage.Item.of(kv, slots, obj) : null;
        });
        return Optional.of(new StoredListPage(page.items(), page.revision(), page.continueToken(),
                page.remainingItemCount()));
    }

    /** What a cached object keeps for lists: its {@link StoredListPage.Item} as an object of {@code apiVersion}. */
    private record ItemAs(String apiVersion) {
    }

    /** {@link #listStored(String, ListOptions, boolean)} without objects where the bytes suffice. */
    public Optional<StoredListPage> listStored(String namespace, ListOptions options) {
        return listStored(namespace, options, false);
    }

    /**
     * The watch cache's objects under the list's prefix if the cache may serve the list, else null (the store
     * serves it). As upstream 1.32's cacher (ConsistentListFromCache on): the store serves continuations, pages
     * ({@code limit}) unless resourceVersion is 0, and resourceVersionMatch=Exact; resourceVersion=0 is served as
     * the cache is; an unset resourceVersion (a consistent read) once the cache has seen the store's current
     * revision, and resourceVersion=N (not older than N) once it has seen N - each wait bounded, after which the
     * store serves the list, so it is never older than asked.
     */
    private WatchCache.StoredSnapshot fromCache(String namespace, ListOptions options) {
        String rv = options.resourceVersion();
        if (cache == null || options.continueToken() != null || "Exact".equals(options.resourceVersionMatch())) {
            return null;
        }
        if ("0".equals(rv)) {
            return cache.storedSnapshot(listPrefix(namespace));
        }
        if (options.limit() > 0) {
            return null;
        }
        long current = store.currentRevision();
        // a resourceVersion the store has not reached is the store path's error (504, "Too large resource version")
        long wanted = rv == null ? current : ListOptions.parseRevision(rv);
        if (wanted > current) {
            return null;
        }
        try {
            if (!cache.awaitFresh(wanted, FRESH_WAIT_MILLIS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return cache.storedSnapshot(listPrefix(namespace));
    }

    /** A list read from the store: the revision and start key the options ask for, then pages of it. */
    private <T> Paged<T> storeList(String namespace, ListOptions options, Selection selection,
                                   Function<KeyValue, T> select) {
        long revision = 0;
        String fromKey = null;
        String base = listPrefix(namespace);
        if (options.continueToken() != null) {
            ContinueToken token = ContinueToken.decode(options.continueToken());
            revision = token.revision();
            fromKey = base + token.start();
        } else if (options.resourceVersion() != null && !options.resourceVersion().equals("0")) {
            long rv = ListOptions.parseRevision(options.resourceVersion());
            if ("Exact".equals(options.resourceVersionMatch()) || options.limit() > 0
                    && options.resourceVersionMatch() == null) {
                revision = rv;
            } else if (rv > store.currentRevision()) {
                throw StatusException.timeout("Too large resource version: " + rv + ", current: "
                        + store.currentRevision());
            }
        }
        return pagedList(base, revision, fromKey, options.limit(), !selection.selectsEverythingInScope(), select,
                options.continueToken() != null);
    }

    /** One page of a store list: what {@code select} kept of each key-value (null drops it). */
    private record Paged<T>(List<T> items, long revision, String continueToken, long remainingItemCount) {
    }

    /**
     * Reads pages from the store at one revision until {@code limit} objects match (all of them for limit 0).
     * The continue token points after the last object returned, at the same revision.
     */
    private <T> Paged<T> pagedList(String base, long revision, String fromKey, long limit, boolean filtered,
                                   Function<KeyValue, T> select, boolean continuing) {
        List<T> items = new ArrayList<>();
        long listRevision = revision;
        String next = fromKey;
        try {
            while (true) {
                long batch = limit <= 0 ? 0 : filtered ? Math.max(limit, 100) : limit - items.size();
                ListResult page = store.list(base, listRevision, next, batch);
                listRevision = page.revision();
                List<KeyValue> kvs = page.items();
                for (int i = 0; i < kvs.size(); i++) {
                    T item = select.apply(kvs.get(i));
                    if (item == null) {
                        continue;
                    }
                    items.add(item);
                    if (limit > 0 && items.size() == limit) {
                        int after = kvs.size() - i - 1;
                        if (after == 0 && !page.more()) {
                            return new Paged<>(items, listRevision, null, -1);
                        }
                        String start = kvs.get(i).key().substring(base.length()) + "\u0000";
                        long remaining = filtered ? -1 : page.remaining() + after;
                        return new Paged<>(items, listRevision, new ContinueToken(listRevision, start).encode(),
                                remaining);
                    }
                }
                if (!page.more() || kvs.isEmpty()) {
                    return new Paged<>(items, listRevision, null, -1);
                }
                next = kvs.get(kvs.size() - 1).key() + "\u0000";
            }
        } catch (StoreException.Compacted e) {
            if (continuing) {
                throw StatusException.expired("The provided continue parameter is too old to display a consistent "
                        + "list result. You can start a new list without the continue parameter.");
            }
            throw StatusException.expired("The resourceVersion for the provided list is too old.");
        } catch (StoreException.FutureRevision e) {
            throw StatusException.timeout("Too large resource version: " + revision + ", current: "
                    + store.currentRevision());
        }
    }

    // ---- create ----

    public ObjectNode create(String namespace, ObjectNode obj, boolean dryRun) {
        return create(namespace, obj, dryRun, null);
    }

    /**
     * Creates {@code obj}; a non-null {@code manager} is recorded in metadata.managedFields as the owner of every
     * field (an Update operation), as upstream does for every create made through the API.
     */
    public ObjectNode create(String namespace, ObjectNode obj, boolean dryRun, String manager) {
        return createWritten(namespace, obj, dryRun, manager).object();
    }

    /**
     * An object a create or update answers with, and the store's version of it when that can be served as it is
     * stored (see {@link #servedBytes}); {@code stored} is null for a dry run, an unchanged object or a resource
     * stored in another form.
     */
    public record Written(ObjectNode object, KeyValue stored) {
        /**
         * The object as JSON made from the stored bytes (the resourceVersion inserted where decoding puts it), when
         * they are the object as served in {@code apiVersion}; null when the caller must encode the object itself.
         * Encoding the object again cost every create and update a second serialisation of what was just stored.
         */
        public byte[] servedBytes(String apiVersion) {
            if (stored == null || !apiVersion.equals(Json.text(object, "apiVersion"))) {
                return null;
            }
            return StoredJson.withResourceVersion(stored.value(), stored.modRevision(), StoredJson.quoted(apiVersion));
        }
    }

    /**
     * The kind's defaults applied to {@code obj} in place: upstream defaults a request's object when it decodes it,
     * so admission plugins see it defaulted (a pod that sets only limits has requests when quota looks); the create
     * and update paths default again after admission's mutations, as upstream does after a webhook's patch.
     */
    public void applyDefaults(ObjectNode obj) {
        defaults.accept(obj);
    }

    /** {@link #create(String, ObjectNode, boolean, String)} with the stored version of what it created. */
    public Written createWritten(String namespace, ObjectNode obj, boolean dryRun, String manager) {
        checkTypeMeta(obj);
        ObjectNode metadata = Json.metadata(obj);
        setNamespace(metadata, namespace);
        String generateName = Json.text(metadata, "generateName");
        boolean generated = isEmpty(Json.text(metadata, "name")) && !isEmpty(generateName);
        if (generated) {
            metadata.put("name", generateName(generateName));
        }
        if (type.namespaced()) {
            namespaces.checkCanCreate(namespace, type, Json.text(metadata, "name"));
        }
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", now());
        metadata.remove(List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
        if (strategy.startsGeneration()) {
            metadata.put("generation", 1);
        } else {
            metadata.remove("generation");
        }
        strategy.prepareForCreate(obj);
        storedForm.takeStatusCarriers(obj, null);
        defaults.accept(obj);
        List<ManagedFieldsEntry> managed = manager == null ? null : fieldManager.updateEntries(null, obj, manager, "",
                strategy.listTypes(obj), strategy.resetFields(false), clock.instant());
        List<FieldError> errors = new ArrayList<>(validator.validateCreate(obj));
        errors.addAll(strategy.validateCreate(obj));
        throwIfInvalid(Json.text(metadata, "name"), errors, obj, managed);
        if (dryRun) {
            strategy.beforeCreate(obj, true);
            return new Written(obj, null);
        }
        strategy.beforeCreate(obj, false);
        try {
            for (int attempt = 1; ; attempt++) {
                String name = Json.text(metadata, "name");
                try {
                    KeyValue kv = write(obj, value -> store.create(key(namespace, name), value, lease()));
                    ObjectNode created = written(obj, kv);
                    strategy.afterCreate(created);
                    return new Written(created, servedAsStored(kv));
                } catch (StoreException.KeyExists e) {
                    if (!generated || attempt >= MAX_GENERATE_NAME_ATTEMPTS) {
                        throw StatusException.alreadyExists(type.group(), type.plural(), name);
                    }
                    metadata.put("name", generateName(generateName));
                }
            }
        } catch (RuntimeException e) {
            strategy.rollbackCreate(obj);
            throw e;
        }
    }

    // ---- update and patch ----

    /** PUT: replaces the object; its resourceVersion, if set, must be the current one. */
    public ObjectNode update(String namespace, String name, ObjectNode obj, boolean dryRun, boolean statusOnly) {
        return update(namespace, name, obj, dryRun, statusOnly, null);
    }

    /** PUT recording {@code manager} (if not null) in metadata.managedFields. */
    public ObjectNode update(String namespace, String name, ObjectNode obj, boolean dryRun, boolean statusOnly,
                             String manager) {
        return updateWritten(namespace, name, obj, dryRun, statusOnly, manager).object();
    }

    /** {@link #update(String, String, ObjectNode, boolean, boolean, String)} with the stored version of the result. */
    public Written updateWritten(String namespace, String name, ObjectNode obj, boolean dryRun, boolean statusOnly,
                                 String manager) {
        return updateWritten(namespace, name, obj, dryRun, statusOnly ? "status" : "", manager);
    }

    /**
     * A PUT through {@code subresource}: "" the main resource, "status", or a subresource whose strategy keeps only
     * what it may change and whose rules validate it (pods/ephemeralcontainers).
     */
    public Written updateWritten(String namespace, String name, ObjectNode obj, boolean dryRun, String subresource,
                                 String manager) {
        checkTypeMeta(obj);
        ObjectNode metadata = Json.metadata(obj);
        String bodyName = Json.text(metadata, "name");
        if (!isEmpty(bodyName) && !bodyName.equals(name)) {
            throw StatusException.badRequest("the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + name + ")");
        }
        metadata.put("name", name);
        setNamespace(metadata, namespace);
        String expectedRv = Json.text(metadata, "resourceVersion");
        // each attempt changes the object it is given, so attempts that may be retried (no resourceVersion in the
        // body: a concurrent write is retried) start from a copy; with one the only attempt takes the body itself
        boolean retry = isEmpty(expectedRv);
        // a missing object is created when the strategy allows it: decided by the update's own first read rather
        // than by a read of its own before it (one store lookup less per PUT)
        Supplier<Written> ifMissing = () -> {
            if (strategy.allowCreateOnUpdate() && subresource.isEmpty()) {
                return createWritten(namespace, obj, dryRun, manager);
            }
            throw notFound(name);
        };
        return guaranteedUpdateWritten(namespace, name, retry, dryRun, subresource, true, manager,
                old -> retry ? obj.deepCopy() : obj, ifMissing);
    }

    /** Applies {@code patch} to the current object and stores the result, retrying on concurrent writes. */
    public ObjectNode patch(String namespace, String name, UnaryOperator<ObjectNode> patch, boolean dryRun,
                            boolean statusOnly) {
        return patch(namespace, name, patch, dryRun, statusOnly, null);
    }

    /** A non-apply patch recording {@code manager} (if not null) in metadata.managedFields. */
    public ObjectNode patch(String namespace, String name, UnaryOperator<ObjectNode> patch, boolean dryRun,
                            boolean statusOnly, String manager) {
        return patchWritten(namespace, name, patch, dryRun, statusOnly, manager).object();
    }

    /** {@link #patch(String, String, UnaryOperator, boolean, boolean, String)} with the stored version of the result. */
    public Written patchWritten(String namespace, String name, UnaryOperator<ObjectNode> patch, boolean dryRun,
                                boolean statusOnly, String manager) {
        return patchWritten(namespace, name, patch, dryRun, statusOnly ? "status" : "", manager);
    }

    /** A non-apply patch through {@code subresource}, as {@link #updateWritten(String, String, ObjectNode, boolean, String, String)}. */
    public Written patchWritten(String namespace, String name, UnaryOperator<ObjectNode> patch, boolean dryRun,
                                String subresource, String manager) {
        return guaranteedUpdateWritten(namespace, name, true, dryRun, subresource, true, manager, current -> {
            ObjectNode patched = patch.apply(current.deepCopy());
            String rv = Json.text(patched, "metadata", "resourceVersion");
            if (!Objects.equals(rv, Json.text(current, "metadata", "resourceVersion"))) {
                throw staleConflict(name);
            }
            Json.metadata(patched).put("name", name);
            setNamespace(Json.metadata(patched), namespace);
            checkTypeMeta(patched);
            return patched;
        }, null);
    }

    /** The outcome of a server-side apply: the stored object, and whether the apply created it. */
    public record Applied(ObjectNode object, boolean created) {
    }

    /**
     * Server-side apply of the configuration {@code applied} by {@code manager}: creates the object when it is
     * missing (not through a subresource), otherwise merges it into the live one. Fields owned by other managers
     * that the configuration would change are a 409 Conflict unless {@code force}.
     */
    public Applied apply(String namespace, String name, ObjectNode applied, String manager, boolean force,
                         boolean dryRun, boolean statusOnly) {
        return apply(namespace, name, applied, manager, force, dryRun, statusOnly ? "status" : "");
    }

    /**
     * Server-side apply through {@code subresource}: "" the main resource, "status", or a write subresource whose
     * strategy keeps only what it may change (pods/ephemeralcontainers), as upstream serves apply on each. Through a
     * subresource the object must exist.
     */
    public Applied apply(String namespace, String name, ObjectNode applied, String manager, boolean force,
                         boolean dryRun, String subresource) {
        FieldManager.checkApplyType(applied, type.apiVersion(), type.kind());
        String bodyName = Json.text(applied, "metadata", "name");
        if (!isEmpty(bodyName) && !bodyName.equals(name)) {
            throw StatusException.badRequest("the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + name + ")");
        }
        while (true) {
            if (find(namespace, name).isEmpty()) {
                if (!subresource.isEmpty()) {
                    throw notFound(name);
                }
                ObjectNode config = applied.deepCopy();
                Json.metadata(config).put("name", name);
                setNamespace(Json.metadata(config), namespace);
                ApplyResult result = fieldManager.apply(null, config, manager, subresource, force,
                        strategy.listTypes(config), strategy.resetFields(false), clock.instant());
                if (result.hasConflicts()) {
                    throw result.toStatusException();
                }
                try {
                    return new Applied(create(namespace, result.object(), dryRun, null), true);
                } catch (StatusException e) {
                    if (e.reason() == StatusReason.ALREADY_EXISTS) {
                        continue; // created meanwhile: apply to it
                    }
                    throw e;
                }
            }
            try {
                return new Applied(guaranteedUpdateWritten(namespace, name, true, dryRun, subresource, true, null,
                        current -> {
                            ApplyResult result = fieldManager.apply(current, applied, manager, subresource, force,
                                    strategy.listTypes(current), strategy.resetFields(subresource), clock.instant());
                            if (result.hasConflicts()) {
                                throw result.toStatusException();
                            }
                            ObjectNode out = result.object();
                            Json.metadata(out).put("name", name);
                            setNamespace(Json.metadata(out), namespace);
                            checkTypeMeta(out);
                            return out;
                        }, null).object(), false);
            } catch (StatusException e) {
                if (e.code() != 404) {
                    throw e;
                }
                // deleted meanwhile: apply creates it again
            }
        }
    }

    /**
     * The read-modify-write loop of every update: reads the object, lets {@code change} compute the new one
     * from it, prepares and validates it, and writes it guarded by the read's revision. With
     * {@code retryOnConflict} a concurrent write makes it start over; otherwise it is a 409.
     */
    public ObjectNode guaranteedUpdate(String namespace, String name, boolean retryOnConflict, boolean dryRun,
                                       boolean statusOnly, UnaryOperator<ObjectNode> change) {
        return guaranteedUpdate(namespace, name, retryOnConflict, dryRun, statusOnly, true, null, change);
    }

    /**
     * {@link #guaranteedUpdate(String, String, boolean, boolean, boolean, UnaryOperator)} recording {@code manager} in
     * metadata.managedFields as the owner of what it changes, as a write through the API would (the server's own
     * writes are kube-apiserver's, see {@link #SERVER_MANAGER}).
     */
    public ObjectNode guaranteedUpdate(String namespace, String name, boolean retryOnConflict, boolean dryRun,
                                       boolean statusOnly, String manager, UnaryOperator<ObjectNode> change) {
        return guaranteedUpdate(namespace, name, retryOnConflict, dryRun, statusOnly, true, manager, change);
    }

    /**
     * An update made by the server itself on behalf of a subresource (binding): the change is trusted, so
     * neither the strategy's update rules nor validation apply, as upstream's binding storage does.
     */
    public ObjectNode systemUpdate(String namespace, String name, boolean dryRun, UnaryOperator<ObjectNode> change) {
        return guaranteedUpdate(namespace, name, true, dryRun, false, false, null, change);
    }

    private ObjectNode guaranteedUpdate(String namespace, String name, boolean retryOnConflict, boolean dryRun,
                                        boolean statusOnly, boolean prepare, String manager,
                                        UnaryOperator<ObjectNode> change) {
        return guaranteedUpdateWritten(namespace, name, retryOnConflict, dryRun, statusOnly, prepare, manager, change)
                .object();
    }

    private Written guaranteedUpdateWritten(String namespace, String name, boolean retryOnConflict, boolean dryRun,
                                            boolean statusOnly, boolean prepare, String manager,
                                            UnaryOperator<ObjectNode> change) {
        return guaranteedUpdateWritten(namespace, name, retryOnConflict, dryRun, statusOnly ? "status" : "", prepare,
                manager, change, null);
    }

    /**
     * {@link #guaranteedUpdateWritten(String, String, boolean, boolean, boolean, boolean, String, UnaryOperator)};
     * when the first read finds no object, {@code ifMissing} (if not null) answers instead of a 404. A retry that finds
     * the object gone is a 404 either way.
     */
    private Written guaranteedUpdateWritten(String namespace, String name, boolean retryOnConflict, boolean dryRun,
                                            String subresource, boolean prepare, String manager,
                                            UnaryOperator<ObjectNode> change, Supplier<Written> ifMissing) {
        String key = key(namespace, name);
        for (boolean first = true; ; first = false) {
            Optional<KeyValue> read = store.get(key);
            if (read.isEmpty() && first && ifMissing != null) {
                return ifMissing.get();
            }
            KeyValue current = read.orElseThrow(() -> notFound(name));
            ObjectNode old = decode(current);
            ObjectNode obj = change.apply(old);
            String requestedRv = Json.text(obj, "metadata", "resourceVersion");
            if (!isEmpty(requestedRv) && !requestedRv.equals(Long.toString(current.modRevision()))) {
                throw staleConflict(name);
            }
            if (prepare) {
                prepareUpdate(obj, old, subresource, manager);
            }
            if (obj.equals(old)) {
                return new Written(old, null);
            }
            ObjectNode finalState = obj;
            if (isDeletingWithoutFinalizers(obj) && !strategy.holdsDeletion(obj)) {
                if (dryRun) {
                    return new Written(obj, null);
                }
                try {
                    store.delete(key, current.modRevision());
                    strategy.afterDelete(old);
                    return new Written(finalState, null);
                } catch (StoreException.Conflict e) {
                    if (retryOnConflict) {
                        continue;
                    }
                    throw staleConflict(name);
                }
            }
            if (dryRun) {
                return new Written(obj, null);
            }
            strategy.beforeUpdate(obj, old, false);
            try {
                KeyValue kv = write(obj, value -> store.update(key, value, current.modRevision(), current.lease()));
                return new Written(written(obj, kv), servedAsStored(kv));
            } catch (StoreException.Conflict e) {
                if (!retryOnConflict) {
                    throw staleConflict(name);
                }
            } catch (StoreException.KeyNotFound e) {
                throw notFound(name);
            }
        }
    }

    /** Metadata an update always takes from the stored object (the uid too, when the request names none). */
    private static final List<String> KEPT_ON_UPDATE = List.of("creationTimestamp", "deletionTimestamp",
            "deletionGracePeriodSeconds", "generation");

    private void prepareUpdate(ObjectNode obj, ObjectNode old, String subresource, String manager) {
        boolean statusOnly = subresource.equals("status");
        ObjectNode metadata = Json.metadata(obj);
        ObjectNode oldMeta = Json.metadata(old);
        // without a manager the caller computed the managed fields itself (server-side apply): a status or
        // subresource write that takes the stored metadata keeps those, as upstream keeps the new managedFields
        JsonNode computedManagedFields = manager == null ? metadata.get("managedFields") : null;
        // upstream's BeforeUpdate takes the stored uid only when the request names none, so that validation's
        // immutable-field check refuses another one (status writes included): a writer that names the uid it means -
        // the kubelet's status patches - fails instead of landing on an object made again under the same name
        JsonNode requestedUid = metadata.get("uid");
        boolean namesUid = requestedUid != null && !requestedUid.asString("").isEmpty();
        if (statusOnly) {
            ObjectNode keptMeta = oldMeta.deepCopy();
            // what this resource's upstream status strategy lets the request change (labels, annotations, ...)
            for (String field : strategy.statusWritableMetadata()) {
                JsonNode value = metadata.get(field);
                if (value == null) {
                    keptMeta.remove(field);
                } else {
                    // a copy: the request's metadata is read again below (status carriers)
                    keptMeta.set(field, value.deepCopy());
                }
            }
            if (namesUid) {
                keptMeta.set("uid", requestedUid);
            }
            obj.set("metadata", keptMeta);
            strategy.prepareForStatusUpdate(obj, old);
            storedForm.keepSpecCarriers(obj, oldMeta);
            storedForm.takeStatusCarriers(obj, metadata);
            metadata = keptMeta;
        } else {
            if (!namesUid) {
                keepStored(metadata, oldMeta, "uid");
            }
            for (String field : KEPT_ON_UPDATE) {
                keepStored(metadata, oldMeta, field);
            }
            if (!metadata.has("generateName") && oldMeta.has("generateName")) {
                metadata.set("generateName", oldMeta.get("generateName"));
            }
            if (subresource.isEmpty()) {
                strategy.prepareForUpdate(obj, old);
            } else {
                strategy.prepareForSubresourceUpdate(subresource, obj, old);
            }
            storedForm.takeStatusCarriers(obj, oldMeta);
            defaults.accept(obj);
        }
        if (computedManagedFields != null) {
            metadata.set("managedFields", computedManagedFields);
        }
        metadata.put("resourceVersion", oldMeta.path("resourceVersion").asString(""));
        if (strategy.tracksGeneration() && !statusOnly && (specChanged(obj, old) || strategy.labelsBumpGeneration()
                && !labels(metadata).equals(labels(oldMeta)))) {
            metadata.put("generation", oldMeta.path("generation").asLong(0) + 1);
        }
        if (!obj.path("kind").isString()) {
            obj.put("kind", type.kind());
        }
        if (!obj.path("apiVersion").isString()) {
            obj.put("apiVersion", type.apiVersion());
        }
        List<ManagedFieldsEntry> managed = manager == null ? null : fieldManager.updateEntries(old, obj, manager,
                subresource, strategy.listTypes(obj), strategy.resetFields(subresource), clock.instant());
        if (!statusOnly || !obj.equals(old)) {
            List<FieldError> errors = new ArrayList<>(validator.validateUpdate(obj, old, subresource));
            errors.addAll(strategy.validateUpdate(obj, old, subresource));
            throwIfInvalid(Json.text(metadata, "name"), errors, obj, managed);
        }
    }

    /** metadata.labels, absent or null as empty (upstream compares nil and empty maps as equal). */
    private static JsonNode labels(ObjectNode metadata) {
        JsonNode labels = metadata.get("labels");
        return labels == null || labels.isNull() ? Json.object() : labels;
    }

    /** Sets {@code field} of {@code metadata} to the stored one's (absent when that has none). */
    private static void keepStored(ObjectNode metadata, ObjectNode oldMeta, String field) {
        JsonNode value = oldMeta.get(field);
        if (value == null) {
            metadata.remove(field);
        } else {
            metadata.set(field, value.deepCopy());
        }
    }

    /**
     * Whether anything but metadata, status, apiVersion and kind differs: the top-level fields compared in place
     * (copying both objects to drop those four cost every update two deep copies).
     */
    private static boolean specChanged(ObjectNode obj, ObjectNode old) {
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            if (!NOT_SPEC.contains(e.getKey()) && !e.getValue().equals(old.get(e.getKey()))) {
                return true;
            }
        }
        for (Map.Entry<String, JsonNode> e : old.properties()) {
            if (!NOT_SPEC.contains(e.getKey()) && !obj.has(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDeletingWithoutFinalizers(ObjectNode obj) {
        ObjectNode metadata = Json.obj(obj, "metadata");
        return metadata != null && metadata.has("deletionTimestamp")
                && (!metadata.path("finalizers").isArray() || metadata.path("finalizers").isEmpty())
                && metadata.path("deletionGracePeriodSeconds").asLong(0) == 0;
    }

    // ---- delete ----

    /** The outcome of a delete: the object's last state, and whether it is gone or only marked. */
    public record Deletion(ObjectNode object, boolean deleted) {
    }

    public Deletion delete(String namespace, String name, DeleteOptions options, boolean dryRun) {
        strategy.checkDelete(namespace, name);
        return deleteUnchecked(namespace, name, options, dryRun);
    }

    private Deletion deleteUnchecked(String namespace, String name, DeleteOptions options, boolean dryRun) {
        String key = key(namespace, name);
        while (true) {
            KeyValue current = store.get(key).orElseThrow(() -> notFound(name));
            ObjectNode obj = decode(current);
            ObjectNode metadata = Json.metadata(obj);
            checkPreconditions(name, metadata, options);
            long grace = strategy instanceof GracefulDeletion g ? g.gracePeriod(obj, options) : 0;
            boolean changed = addPropagationFinalizer(metadata, options.propagation())
                    | strategy.addFinalizersOnDelete(obj);
            boolean hasFinalizers = metadata.path("finalizers").isArray() && !metadata.path("finalizers").isEmpty();
            if (hasFinalizers || grace > 0) {
                // Only marked: finalizers or a grace period stand between the object and its removal.
                long currentGrace = metadata.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE);
                if (!metadata.has("deletionTimestamp") && metadata.path("generation").asLong(0) > 0) {
                    // being marked for deletion is a change of desired state: upstream's BeforeDelete and
                    // markAsDeleting bump the generation of the kinds that keep one, once
                    metadata.put("generation", metadata.path("generation").asLong() + 1);
                }
                if (!metadata.has("deletionTimestamp") || grace < currentGrace) {
                    // a shorter grace period brings the deadline forward, as upstream allows
                    metadata.put("deletionTimestamp", clock.instant().plusSeconds(grace)
                            .truncatedTo(ChronoUnit.SECONDS).toString());
                    metadata.put("deletionGracePeriodSeconds", grace);
                    changed = true;
                }
                if (!changed || dryRun) {
                    return new Deletion(obj, false);
                }
                strategy.beforeDelete(obj);
                try {
                    return new Deletion(decode(store.update(key, encode(obj), current.modRevision(),
                            current.lease())), false);
                } catch (StoreException.Conflict e) {
                    continue;
                }
            }
            if (dryRun) {
                return new Deletion(obj, true);
            }
            try {
                store.delete(key, current.modRevision());
                strategy.afterDelete(obj);
                return new Deletion(obj, true);
            } catch (StoreException.Conflict e) {
                // written meanwhile: look again
            } catch (StoreException.KeyNotFound e) {
                throw notFound(name);
            }
        }
    }

    /**
     * Deletes every object the options select, one by one as single deletes, each first given to {@code admit} (the
     * object as listed: upstream's deleteValidation); returns what was deleted or marked. A refusal stops the
     * collection there and is the answer, what was deleted before it stays deleted - upstream's DeleteCollection with
     * its one default worker.
     */
    public List<ObjectNode> deleteCollection(String namespace, ListOptions listOptions, DeleteOptions options,
                                             boolean dryRun, Consumer<ObjectNode> admit) {
        ListOptions all = new ListOptions(listOptions.labelSelector(), listOptions.fieldSelector(), 0, null, null, null,
                false, null, null);
        List<ObjectNode> deleted = new ArrayList<>();
        for (ObjectNode obj : list(namespace, all).items()) {
            String ns = Json.text(obj, "metadata", "namespace");
            try {
                admit.accept(obj);
                // as upstream's DeleteCollection, which calls the generic store's Delete, not a resource's own
                deleted.add(deleteUnchecked(ns, Json.text(obj, "metadata", "name"), options, dryRun).object());
            } catch (StatusException e) {
                if (e.code() != 404 && e.code() != 409) {
                    throw e;
                }
            }
        }
        return deleted;
    }

    private void checkPreconditions(String name, ObjectNode metadata, DeleteOptions options) {
        if (options.preconditionUid() != null && !options.preconditionUid().equals(Json.text(metadata, "uid"))) {
            throw StatusException.conflict(type.group(), type.plural(), name, "Precondition failed: UID in "
                    + "precondition: " + options.preconditionUid() + ", UID in object meta: " + Json.text(metadata, "uid"));
        }
        if (options.preconditionResourceVersion() != null
                && !options.preconditionResourceVersion().equals(Json.text(metadata, "resourceVersion"))) {
            throw StatusException.conflict(type.group(), type.plural(), name, "Precondition failed: "
                    + "ResourceVersion in precondition: " + options.preconditionResourceVersion()
                    + ", ResourceVersion in meta: " + Json.text(metadata, "resourceVersion"));
        }
    }

    /** Orphan and Foreground are carried out by the garbage collector, which upstream signals by finalizers. */
    private static boolean addPropagationFinalizer(ObjectNode metadata, String policy) {
        String finalizer = "Orphan".equals(policy) ? "orphan" : "Foreground".equals(policy) ? "foregroundDeletion"
                : null;
        if (finalizer == null) {
            return false;
        }
        ArrayNode finalizers = metadata.withArray("finalizers");
        for (JsonNode f : finalizers) {
            if (finalizer.equals(f.asString())) {
                return false;
            }
        }
        finalizers.add(finalizer);
        return true;
    }

    // ---- helpers ----

    public ObjectNode decode(KeyValue kv) {
        return decode(kv.value(), kv.modRevision());
    }

    /** {@code kv} when its bytes are the object as served (see {@link Written#servedBytes}), else null. */
    private KeyValue servedAsStored(KeyValue kv) {
        return storedForm.servesStoredBytes() ? kv : null;
    }

    /** A stored value as this resource serves it (a view of another resource's storage converts it). */
    public ObjectNode decode(byte[] value, long modRevision) {
        return storedForm.toServed(ObjectCodec.decode(value, modRevision));
    }

    /**
     * Stores {@code obj} through {@code storeWrite} (given its bytes), having told the watch cache what the bytes are
     * so that it need not parse them again when the store's event brings them back. Only for the served form: the
     * cache's attributes are read from the object as clients see it.
     */
    private KeyValue write(ObjectNode obj, Function<byte[], KeyValue> storeWrite) {
        byte[] value = encode(obj);
        boolean announced = cache != null && storedForm == StoredForm.AS_SERVED;
        if (announced) {
            cache.expectWrite(value, obj);
        }
        try {
            return storeWrite.apply(value);
        } catch (RuntimeException e) {
            if (announced) {
                cache.forgetWrite(value);
            }
            throw e;
        }
    }

    private byte[] encode(ObjectNode obj) {
        return ObjectCodec.encode(storedForm.toStored(obj));
    }

    /**
     * The object just written, as {@link #decode} would read it back from {@code kv}, without parsing the stored
     * bytes again: they are {@code obj} serialised (less its resourceVersion), so {@code obj} with the store's
     * revision as its resourceVersion, last in metadata where decode puts it, holds the same content and serialises
     * to the same bytes. Only called once the write succeeded, so a retried change never sees {@code obj} altered.
     * A resource stored in another form is converted back from the bytes, as that conversion need not be the exact
     * inverse.
     */
    private ObjectNode written(ObjectNode obj, KeyValue kv) {
        if (storedForm != StoredForm.AS_SERVED) {
            return decode(kv);
        }
        ObjectNode metadata = Json.metadata(obj);
        metadata.remove("resourceVersion");
        metadata.put("resourceVersion", Long.toString(kv.modRevision()));
        return obj;
    }

    public Selection selection(String namespace, ListOptions options) {
        for (var requirement : options.fieldSelector().requirements()) {
            String field = requirement.field();
            if (!ResourceStrategy.META_FIELDS.contains(field) && !strategy.selectableFields().contains(field)) {
                throw StatusException.badRequest("field label not supported: " + field);
            }
        }
        return new Selection(type.namespaced() ? namespace : null, options.labelSelector(), options.fieldSelector(),
                strategy);
    }

    private long lease() {
        return strategy.ttlSeconds() > 0 ? leases.leaseFor(strategy.ttlSeconds()) : Store.NO_LEASE;
    }

    private void checkTypeMeta(ObjectNode obj) {
        String apiVersion = Json.text(obj, "apiVersion");
        String kind = Json.text(obj, "kind");
        if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())
                && !(type.group().equals(groupOf(apiVersion)) && kind != null && kind.equals(type.kind()))) {
            throw StatusException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + type.apiVersion() + ")");
        }
        if (kind != null && !kind.isEmpty() && !kind.equals(type.kind())) {
            throw StatusException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
                    + type.kind() + ")");
        }
        obj.put("apiVersion", type.apiVersion());
        obj.put("kind", type.kind());
    }

    private static String groupOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private void setNamespace(ObjectNode metadata, String namespace) {
        if (!type.namespaced()) {
            metadata.remove("namespace");
            return;
        }
        String given = Json.text(metadata, "namespace");
        if (!isEmpty(given) && !given.equals(namespace)) {
            throw StatusException.badRequest("the namespace of the provided object does not match the namespace "
                    + "sent on the request");
        }
        metadata.put("namespace", namespace);
    }

    /**
     * A 422 listing the field errors and those of the object's managedFields (upstream validates them too):
     * {@code managed} when the field manager has just written them (parsing back what it wrote cost every create and
     * update), else null and they are read from {@code obj}.
     */
    private void throwIfInvalid(String name, List<FieldError> errors, ObjectNode obj,
                                List<ManagedFieldsEntry> managed) {
        List<StatusCause> causes = new ArrayList<>(errors.size());
        for (FieldError e : errors) {
            causes.add(new StatusCause(e.type().reason(), e.body(), e.field()));
        }
        try {
            causes.addAll(ManagedFields.validate(managed != null ? managed : ManagedFields.of(obj)));
        } catch (IllegalArgumentException e) {
            causes.add(new StatusCause("FieldValueInvalid", "Invalid value: " + e.getMessage(),
                    "metadata.managedFields"));
        }
        if (!causes.isEmpty()) {
            throw StatusException.invalid(type.group(), type.kind(), name == null ? "" : name, causes);
        }
    }

    private String now() {
        // the same RFC 3339 text as Instant.toString of the truncated instant, without a DateTimeFormatter per create
        return ManagedFields.formatTime(clock.instant());
    }

    Instant instant() {
        return clock.instant();
    }

    private static String generateName(String base) {
        String trimmed = base.length() > 58 ? base.substring(0, 58) : base;
        StringBuilder name = new StringBuilder(trimmed);
        for (int i = 0; i < 5; i++) {
            name.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
        }
        return name.toString();
    }

    private StatusException notFound(String name) {
        return StatusException.notFound(type.group(), type.plural(), name);
    }

    private StatusException staleConflict(String name) {
        return StatusException.staleResourceVersion(type.group(), type.plural(), name);
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}

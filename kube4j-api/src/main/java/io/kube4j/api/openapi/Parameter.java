package io.kube4j.api.openapi;

import java.util.List;

/** A query or path parameter of an operation, as upstream's documents declare it. */
record Parameter(String name, String in, String type, boolean required, String description) {

    static final Parameter PRETTY = query("pretty", "string", "If 'true', the output is pretty printed.");
    static final Parameter DRY_RUN = query("dryRun", "string",
            "When present, modifications are not persisted. Valid values: All.");
    static final Parameter FIELD_MANAGER = query("fieldManager", "string",
            "The name of the actor making these changes; used to track field ownership.");
    static final Parameter FIELD_VALIDATION = query("fieldValidation", "string",
            "How the server handles unknown or duplicate fields in the body: Ignore, Warn (default) or Strict.");
    static final Parameter FORCE = query("force", "boolean",
            "Force apply requests: take ownership of conflicting fields. Only for apply patches.");
    static final Parameter ALLOW_WATCH_BOOKMARKS = query("allowWatchBookmarks", "boolean",
            "Ask for BOOKMARK watch events.");
    static final Parameter CONTINUE = query("continue", "string",
            "The continue token of a previous paged list call.");
    static final Parameter FIELD_SELECTOR = query("fieldSelector", "string",
            "Restrict the returned objects by their fields. Defaults to everything.");
    static final Parameter LABEL_SELECTOR = query("labelSelector", "string",
            "Restrict the returned objects by their labels. Defaults to everything.");
    static final Parameter LIMIT = query("limit", "integer", "The maximum number of objects to return.");
    static final Parameter RESOURCE_VERSION = query("resourceVersion", "string",
            "Which resource versions the request may be served from.");
    static final Parameter RESOURCE_VERSION_MATCH = query("resourceVersionMatch", "string",
            "How resourceVersion applies to list calls: Exact or NotOlderThan.");
    static final Parameter SEND_INITIAL_EVENTS = query("sendInitialEvents", "boolean",
            "With watch=true, start the watch with the current objects followed by a bookmark.");
    static final Parameter TIMEOUT_SECONDS = query("timeoutSeconds", "integer",
            "Timeout for the list/watch call.");
    static final Parameter WATCH = query("watch", "boolean",
            "Watch for changes to the described resources instead of listing them.");
    static final Parameter GRACE_PERIOD_SECONDS = query("gracePeriodSeconds", "integer",
            "Seconds before the object is deleted; zero deletes immediately.");
    static final Parameter IGNORE_STORE_READ_ERROR = query("ignoreStoreReadErrorWithClusterBreakingPotential",
            "boolean", "Delete objects that cannot be read from storage (dangerous).");
    static final Parameter ORPHAN_DEPENDENTS = query("orphanDependents", "boolean",
            "Deprecated: use propagationPolicy. Whether dependents are orphaned.");
    static final Parameter PROPAGATION_POLICY = query("propagationPolicy", "string",
            "Whether and how garbage collection is done: Orphan, Background or Foreground.");
    static final Parameter NAMESPACE = new Parameter("namespace", "path", "string", true,
            "object name and auth scope, such as for teams and projects");

    /** Parameters of list calls, watch included. */
    static final List<Parameter> LIST = List.of(ALLOW_WATCH_BOOKMARKS, CONTINUE, FIELD_SELECTOR, LABEL_SELECTOR,
            LIMIT, RESOURCE_VERSION, RESOURCE_VERSION_MATCH, SEND_INITIAL_EVENTS, TIMEOUT_SECONDS, WATCH);
    /** Parameters of create, update and subresource create calls. */
    static final List<Parameter> WRITE = List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION);
    static final List<Parameter> PATCH = List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE);
    static final List<Parameter> DELETE = List.of(DRY_RUN, GRACE_PERIOD_SECONDS, IGNORE_STORE_READ_ERROR,
            ORPHAN_DEPENDENTS, PROPAGATION_POLICY);
    static final List<Parameter> DELETE_COLLECTION = List.of(CONTINUE, DRY_RUN, FIELD_SELECTOR,
            GRACE_PERIOD_SECONDS, IGNORE_STORE_READ_ERROR, LABEL_SELECTOR, LIMIT, ORPHAN_DEPENDENTS,
            PROPAGATION_POLICY, RESOURCE_VERSION, RESOURCE_VERSION_MATCH, SEND_INITIAL_EVENTS, TIMEOUT_SECONDS);

    static Parameter name(String kind) {
        return new Parameter("name", "path", "string", true, "name of the " + kind);
    }

    private static Parameter query(String name, String type, String description) {
        return new Parameter(name, "query", type, false, description);
    }
}

package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.audit.AuditAnnotations;
import io.kube4j.apiserver.authn.UserInfo;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One write as admission sees it. {@code object} is the incoming object (mutating plugins change it in place;
 * null for DELETE), {@code oldObject} the stored one (UPDATE, DELETE; else null). {@code group} is "" for the core
 * group; {@code subresource} "" for the main resource. Plugins add warnings (sent as Warning headers) and audit
 * annotations (written in the request's audit event, even when admission refuses it). {@code options} is the
 * operation's options object as upstream's AdmissionRequest carries it (CreateOptions, UpdateOptions, DeleteOptions;
 * null when not known).
 */
public final class AdmissionRequest {

    private final Operation operation;
    private final String group;
    private final String resource;
    private final String subresource;
    private final String namespace;
    private final String name;
    private final ObjectNode object;
    /** Reads the stored object on first use: most plugins never look at it, and decoding it costs every update. */
    private Supplier<ObjectNode> oldObjectSource;
    private ObjectNode oldObject;
    private final UserInfo user;
    private final boolean dryRun;
    private final List<String> warnings = new ArrayList<>();
    private final ReinvocationContext reinvocation = new ReinvocationContext();
    private AuditAnnotations auditAnnotations = new AuditAnnotations();
    private ObjectNode options;

    public AdmissionRequest(Operation operation, String group, String resource, String subresource, String namespace,
                            String name, ObjectNode object, ObjectNode oldObject, UserInfo user, boolean dryRun) {
        this(operation, group, resource, subresource, namespace, name, object, () -> oldObject, user, dryRun);
    }

    /**
     * A request whose stored object is read by {@code oldObject} (called at most once, may return null) only when a
     * plugin asks for it.
     */
    public static AdmissionRequest readingOld(Operation operation, String group, String resource, String subresource,
                                              String namespace, String name, ObjectNode object,
                                              Supplier<ObjectNode> oldObject, UserInfo user, boolean dryRun) {
        return new AdmissionRequest(operation, group, resource, subresource, namespace, name, object, oldObject, user,
                dryRun);
    }

    // private, so that a literal null for the old object still picks the public constructor
    private AdmissionRequest(Operation operation, String group, String resource, String subresource, String namespace,
                             String name, ObjectNode object, Supplier<ObjectNode> oldObject, UserInfo user,
                             boolean dryRun) {
        this.operation = operation;
        this.group = group == null ? "" : group;
        this.resource = resource;
        this.subresource = subresource == null ? "" : subresource;
        this.namespace = namespace == null ? "" : namespace;
        this.name = name == null ? "" : name;
        this.object = object;
        this.oldObjectSource = oldObject;
        this.user = user;
        this.dryRun = dryRun;
    }

    public Operation operation() {
        return operation;
    }

    public String group() {
        return group;
    }

    public String resource() {
        return resource;
    }

    public String subresource() {
        return subresource;
    }

    public String namespace() {
        return namespace;
    }

    /** The object's name; on CREATE with generateName it may be empty. */
    public String name() {
        return name;
    }

    public ObjectNode object() {
        return object;
    }

    /**
     * The name admission errors print, as upstream's admission.NewForbidden finds it: the request's; else the
     * object's name or generateName (a create by generateName has no name yet); else "Unknown" (a deletecollection).
     */
    public String errorName() {
        if (!name.isEmpty()) {
            return name;
        }
        if (object != null && object.get("metadata") instanceof ObjectNode metadata) {
            for (String field : new String[]{"name", "generateName"}) {
                String value = metadata.path(field).asString("");
                if (!value.isEmpty()) {
                    return value;
                }
            }
        }
        return "Unknown";
    }

    /** Synchronized: validating webhooks run in parallel and may all ask for it at once. */
    public synchronized ObjectNode oldObject() {
        if (oldObjectSource != null) {
            oldObject = oldObjectSource.get();
            oldObjectSource = null;
        }
        return oldObject;
    }

    public UserInfo user() {
        return user;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public ReinvocationContext reinvocation() {
        return reinvocation;
    }

    public List<String> warnings() {
        return warnings;
    }

    public void warn(String warning) {
        warnings.add(warning);
    }

    /** Sends this request's audit annotations to {@code annotations}, the request's audit event's; returns this. */
    public AdmissionRequest auditingTo(AuditAnnotations annotations) {
        this.auditAnnotations = annotations;
        return this;
    }

    /**
     * Adds an audit annotation, as upstream's Attributes.AddAnnotation: a key keeps its first value; false when
     * {@code value} was dropped for another one.
     */
    public boolean addAuditAnnotation(String key, String value) {
        return auditAnnotations.add(key, value);
    }

    /** The audit annotations added so far. */
    public Map<String, String> auditAnnotations() {
        return auditAnnotations.snapshot();
    }

    /** Sets the operation's options object; returns this. */
    public AdmissionRequest withOptions(ObjectNode operationOptions) {
        this.options = operationOptions;
        return this;
    }

    /** The operation's options object (kind CreateOptions, UpdateOptions or DeleteOptions), or null. */
    public ObjectNode options() {
        return options;
    }

    /** True for the main resource (no subresource) of {@code resource} in the core group. */
    public boolean isCore(String coreResource) {
        return group.isEmpty() && resource.equals(coreResource) && subresource.isEmpty();
    }
}

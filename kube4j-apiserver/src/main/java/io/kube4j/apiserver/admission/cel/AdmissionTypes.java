package io.kube4j.apiserver.admission.cel;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's hand-made CEL types of an admission expression's {@code request} (the AdmissionRequest without uid and
 * objects) and {@code namespaceObject} (a Namespace without managedFields, ownerReferences and the like), and of a
 * policy's {@code variables} (a struct of one field per variable, of the type its expression gives), with the structs
 * they are made of, named as upstream names them; a type provider of those structs.
 */
public final class AdmissionTypes implements CelTypeProvider {

    private final Map<String, StructType> structs = new LinkedHashMap<>();
    private final StructType request;
    private final StructType namespace;
    private final StructType variables;

    /** {@code variables}: each variable's name and type, for the {@code variables} struct. */
    public AdmissionTypes(Map<String, CelType> variables) {
        StructType gvk = struct("kubernetes.GroupVersionKind", Map.of("group", SimpleType.STRING,
                "version", SimpleType.STRING, "kind", SimpleType.STRING));
        StructType gvr = struct("kubernetes.GroupVersionResource", Map.of("group", SimpleType.STRING,
                "version", SimpleType.STRING, "resource", SimpleType.STRING));
        ListType strings = ListType.create(SimpleType.STRING);
        StructType user = struct("kubernetes.UserInfo", Map.of("username", SimpleType.STRING,
                "uid", SimpleType.STRING, "groups", strings, "extra", MapType.create(SimpleType.STRING, strings)));
        Map<String, CelType> request = new LinkedHashMap<>();
        request.put("kind", gvk);
        request.put("resource", gvr);
        request.put("subResource", SimpleType.STRING);
        request.put("requestKind", gvk);
        request.put("requestResource", gvr);
        request.put("requestSubResource", SimpleType.STRING);
        request.put("name", SimpleType.STRING);
        request.put("namespace", SimpleType.STRING);
        request.put("operation", SimpleType.STRING);
        request.put("userInfo", user);
        request.put("dryRun", SimpleType.BOOL);
        request.put("options", SimpleType.DYN);
        this.request = struct("kubernetes.AdmissionRequest", request);

        StructType spec = struct("kubernetes.NamespaceSpec", Map.of("finalizers", strings));
        StructType condition = struct("kubernetes.NamespaceCondition", Map.of("status", SimpleType.STRING,
                "type", SimpleType.STRING, "lastTransitionTime", SimpleType.TIMESTAMP,
                "message", SimpleType.STRING, "reason", SimpleType.STRING));
        StructType status = struct("kubernetes.NamespaceStatus", Map.of("conditions", ListType.create(condition),
                "phase", SimpleType.STRING));
        MapType stringMap = MapType.create(SimpleType.STRING, SimpleType.STRING);
        Map<String, CelType> metadata = new LinkedHashMap<>();
        metadata.put("name", SimpleType.STRING);
        metadata.put("generateName", SimpleType.STRING);
        metadata.put("namespace", SimpleType.STRING);
        metadata.put("labels", stringMap);
        metadata.put("annotations", stringMap);
        // upstream's field name, not ObjectMeta's "uid"
        metadata.put("UID", SimpleType.STRING);
        metadata.put("creationTimestamp", SimpleType.TIMESTAMP);
        metadata.put("deletionGracePeriodSeconds", SimpleType.INT);
        metadata.put("deletionTimestamp", SimpleType.TIMESTAMP);
        metadata.put("generation", SimpleType.INT);
        metadata.put("resourceVersion", SimpleType.STRING);
        metadata.put("finalizers", strings);
        this.namespace = struct("kubernetes.Namespace", Map.of("metadata",
                struct("kubernetes.NamespaceMetadata", metadata), "spec", spec, "status", status));
        this.variables = struct("kubernetes.variables", variables);
    }

    /** The type of {@code request}. */
    public StructType request() {
        return request;
    }

    /** The type of {@code namespaceObject}. */
    public StructType namespace() {
        return namespace;
    }

    /** The type of {@code variables}. */
    public StructType variables() {
        return variables;
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableList.copyOf(structs.values());
    }

    @Override
    public Optional<CelType> findType(String name) {
        return Optional.ofNullable(structs.get(name));
    }

    private StructType struct(String name, Map<String, CelType> fields) {
        Map<String, CelType> copy = Map.copyOf(fields);
        StructType struct = StructType.create(name, ImmutableSet.copyOf(copy.keySet()),
                field -> Optional.ofNullable(copy.get(field)));
        structs.put(name, struct);
        return struct;
    }
}

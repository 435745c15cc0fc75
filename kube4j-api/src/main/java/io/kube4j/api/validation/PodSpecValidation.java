package io.kube4j.api.validation;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Upstream's ValidatePodSpec and what it calls: containers, ports, env, resources, probes, volumes and mounts. */
final class PodSpecValidation {
    private PodSpecValidation() {
    }

    static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    private static final List<String> TERMINATION_MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    private static final List<String> STANDARD_CONTAINER_RESOURCES = List.of("cpu", "memory", "ephemeral-storage");
    /** Volume sources in the order upstream checks them; the first found is the volume's type. */
    static final List<String> VOLUME_SOURCES = List.of("emptyDir", "hostPath", "gitRepo", "gcePersistentDisk",
            "awsElasticBlockStore", "secret", "nfs", "iscsi", "glusterfs", "flexVolume", "persistentVolumeClaim", "rbd",
            "cinder", "cephfs", "quobyte", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "photonPersistentDisk",
            "portworxVolume", "azureDisk", "storageos", "projected", "scaleIO", "csi", "ephemeral", "image");

    static void validate(ObjectNode spec, String path, List<FieldError> errs) {
        if (spec == null) {
            errs.add(FieldError.required(Paths.child(path, "containers"), ""));
            return;
        }
        // Field paths are strings built for error messages; below, those of absent fields and passing checks are not
        // built at all (each pod write used to build some forty of them for nothing).
        List<ObjectNode> volumeList = Json.objs(spec, "volumes");
        Set<String> volumes = volumeList.isEmpty() ? new HashSet<>()
                : volumes(volumeList, Paths.child(path, "volumes"), errs);
        Set<String> names = new HashSet<>();
        containers(spec, volumes, names, Paths.child(path, "containers"), errs);
        if (Json.has(spec, "initContainers")) {
            initContainers(spec, volumes, names, Paths.child(path, "initContainers"), errs);
        }
        if (Json.has(spec, "ephemeralContainers")) {
            ephemeralContainers(spec, volumes, names, Paths.child(path, "ephemeralContainers"), errs);
        }
        Checks.oneOf(Json.str(spec, "restartPolicy"), RESTART_POLICIES, path, "restartPolicy", errs);
        Checks.oneOf(Json.str(spec, "dnsPolicy"), DNS_POLICIES, path, "dnsPolicy", errs);
        ObjectNode nodeSelector = Json.obj(spec, "nodeSelector");
        if (nodeSelector != null) {
            errs.addAll(ObjectMetaValidation.validateLabels(nodeSelector, Paths.child(path, "nodeSelector")));
        }
        if (Json.has(spec, "dnsConfig") || "None".equals(Json.str(spec, "dnsPolicy"))) {
            dnsConfig(spec, Paths.child(path, "dnsConfig"), errs);
        }
        if (Json.has(spec, "readinessGates")) {
            readinessGates(spec, Paths.child(path, "readinessGates"), errs);
        }
        String serviceAccount = Json.strOr(spec, "serviceAccountName", "");
        if (!serviceAccount.isEmpty()) {
            Checks.dns1123Subdomain(serviceAccount, Paths.child(path, "serviceAccountName"), errs);
        }
        String nodeName = Json.strOr(spec, "nodeName", "");
        if (!nodeName.isEmpty()) {
            Checks.dns1123Subdomain(nodeName, Paths.child(path, "nodeName"), errs);
        }
        Long deadline = Json.lng(spec, "activeDeadlineSeconds");
        if (deadline != null && (deadline < 1 || deadline > Integer.MAX_VALUE)) {
            errs.add(FieldError.invalid(Paths.child(path, "activeDeadlineSeconds"), deadline,
                    NameValidation.inclusiveRangeError(1, Integer.MAX_VALUE)));
        }
        String hostname = Json.strOr(spec, "hostname", "");
        if (!hostname.isEmpty()) {
            Checks.dns1123Label(hostname, Paths.child(path, "hostname"), errs);
        }
        String subdomain = Json.strOr(spec, "subdomain", "");
        if (!subdomain.isEmpty()) {
            Checks.dns1123Label(subdomain, Paths.child(path, "subdomain"), errs);
        }
        List<ObjectNode> tolerationList = Json.objs(spec, "tolerations");
        if (!tolerationList.isEmpty()) {
            tolerations(tolerationList, Paths.child(path, "tolerations"), errs);
        }
        String priorityClass = Json.strOr(spec, "priorityClassName", "");
        if (!priorityClass.isEmpty()) {
            Checks.dns1123Subdomain(priorityClass, Paths.child(path, "priorityClassName"), errs);
        }
        String runtimeClass = Json.strOr(spec, "runtimeClassName", "");
        if (!runtimeClass.isEmpty()) {
            Checks.dns1123Subdomain(runtimeClass, Paths.child(path, "runtimeClassName"), errs);
        }
    }

    private static void containers(ObjectNode spec, Set<String> volumes, Set<String> names, String path, List<FieldError> errs) {
        List<ObjectNode> containers = Json.objs(spec, "containers");
        if (containers.isEmpty()) {
            errs.add(FieldError.required(path, ""));
            return;
        }
        for (int i = 0; i < containers.size(); i++) {
            ObjectNode c = containers.get(i);
            String p = Paths.index(path, i);
            common(c, volumes, p, errs);
            String name = Json.strOr(c, "name", "");
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(Paths.child(p, "name"), name));
            }
            if (Json.strOr(c, "image", "").isEmpty()) {
                errs.add(FieldError.required(Paths.child(p, "image"), ""));
            }
            probes(c, p, errs);
            if (Json.has(c, "restartPolicy")) {
                errs.add(FieldError.forbidden(Paths.child(p, "restartPolicy"), "may not be set for non-init containers"));
            }
        }
        hostPortConflicts(containers, path, errs);
    }

    private static void initContainers(ObjectNode spec, Set<String> volumes, Set<String> names, String path, List<FieldError> errs) {
        List<ObjectNode> containers = Json.objs(spec, "initContainers");
        for (int i = 0; i < containers.size(); i++) {
            ObjectNode c = containers.get(i);
            String p = Paths.index(path, i);
            common(c, volumes, p, errs);
            String name = Json.strOr(c, "name", "");
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(Paths.child(p, "name"), name));
            }
            if (Json.strOr(c, "image", "").isEmpty()) {
                errs.add(FieldError.required(Paths.child(p, "image"), ""));
            }
            String restartPolicy = Json.str(c, "restartPolicy");
            boolean restartable = "Always".equals(restartPolicy);
            if (restartPolicy != null && !restartable) {
                errs.add(FieldError.notSupported(Paths.child(p, "restartPolicy"), restartPolicy, List.of("Always")));
            }
            if (restartable) {
                probes(c, p, errs);
            } else {
                for (String f : List.of("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")) {
                    if (Json.has(c, f)) {
                        errs.add(FieldError.forbidden(Paths.child(p, f), "may not be set for init containers without restartPolicy=Always"));
                    }
                }
            }
        }
        hostPortConflicts(containers, path, errs);
    }

    /**
     * Fields an ephemeral container may not set (upstream's allowedEphemeralContainerFields, the ones marked false, in
     * EphemeralContainerCommon's field order): a debugging container must not be relied on for the pod's own service,
     * so no ports, resources, probes, lifecycle hooks or restart policy.
     */
    private static final List<String> EPHEMERAL_FORBIDDEN = List.of("ports", "resources", "resizePolicy",
            "restartPolicy", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle");

    /**
     * validateEphemeralContainers: the common container rules, a name unique across every kind of container, a
     * targetContainerName that names a regular or init container, the forbidden fields and no subPath mounts (they
     * could make the kubelet mount a volume no other container uses).
     */
    private static void ephemeralContainers(ObjectNode spec, Set<String> volumes, Set<String> names, String path,
                                            List<FieldError> errs) {
        List<ObjectNode> containers = Json.objs(spec, "ephemeralContainers");
        // only regular and init containers can be targets: copied before the ephemeral names join the set
        Set<String> targets = Set.copyOf(names);
        for (int i = 0; i < containers.size(); i++) {
            ObjectNode c = containers.get(i);
            String p = Paths.index(path, i);
            common(c, volumes, p, errs);
            if (Json.strOr(c, "image", "").isEmpty()) {
                errs.add(FieldError.required(Paths.child(p, "image"), ""));
            }
            String name = Json.strOr(c, "name", "");
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(Paths.child(p, "name"), name));
            }
            String target = Json.strOr(c, "targetContainerName", "");
            if (!target.isEmpty() && !targets.contains(target)) {
                errs.add(FieldError.notFound(Paths.child(p, "targetContainerName"), target));
            }
            for (String f : EPHEMERAL_FORBIDDEN) {
                if (Json.has(c, f) && !SemanticEquality.isZero(c.get(f))) {
                    errs.add(FieldError.forbidden(Paths.child(p, f), "cannot be set for an Ephemeral Container"));
                }
            }
            List<ObjectNode> mounts = Json.objs(c, "volumeMounts");
            for (int m = 0; m < mounts.size(); m++) {
                for (String f : List.of("subPath", "subPathExpr")) {
                    if (!Json.strOr(mounts.get(m), f, "").isEmpty()) {
                        errs.add(FieldError.forbidden(Paths.child(Paths.index(Paths.child(p, "volumeMounts"), m), f),
                                "cannot be set for an Ephemeral Container"));
                    }
                }
            }
        }
    }

    /** validateContainerCommon: what regular, init and ephemeral containers share. */
    private static void common(ObjectNode c, Set<String> volumes, String p, List<FieldError> errs) {
        String name = Json.strOr(c, "name", "");
        if (name.isEmpty()) {
            errs.add(FieldError.required(Paths.child(p, "name"), ""));
        } else {
            Checks.dns1123Label(name, p, "name", errs);
        }
        String image = Json.strOr(c, "image", "");
        if (!image.equals(image.strip())) {
            errs.add(FieldError.invalid(Paths.child(p, "image"), image, "must not have leading or trailing whitespace"));
        }
        Checks.oneOf(Json.str(c, "imagePullPolicy"), PULL_POLICIES, p, "imagePullPolicy", errs);
        ObjectNode resources = Json.obj(c, "resources");
        if (resources != null) {
            resources(resources, Paths.child(p, "resources"), errs);
        }
        List<ObjectNode> ports = Json.objs(c, "ports");
        if (!ports.isEmpty()) {
            ports(ports, Paths.child(p, "ports"), errs);
        }
        List<ObjectNode> env = Json.objs(c, "env");
        if (!env.isEmpty()) {
            env(env, Paths.child(p, "env"), errs);
        }
        List<ObjectNode> envFrom = Json.objs(c, "envFrom");
        if (!envFrom.isEmpty()) {
            envFrom(envFrom, Paths.child(p, "envFrom"), errs);
        }
        List<ObjectNode> mounts = Json.objs(c, "volumeMounts");
        if (!mounts.isEmpty()) {
            volumeMounts(mounts, volumes, Paths.child(p, "volumeMounts"), errs);
        }
        Checks.optionalOneOf(Json.str(c, "terminationMessagePolicy"), TERMINATION_MESSAGE_POLICIES,
                p, "terminationMessagePolicy", errs);
    }

    static void ports(List<ObjectNode> ports, String path, List<FieldError> errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode port = ports.get(i);
            String p = Paths.index(path, i);
            String name = Json.strOr(port, "name", "");
            if (!name.isEmpty()) {
                List<String> msgs = NameValidation.isValidPortName(name);
                if (!msgs.isEmpty()) {
                    for (String m : msgs) {
                        errs.add(FieldError.invalid(Paths.child(p, "name"), name, m));
                    }
                } else if (!names.add(name)) {
                    errs.add(FieldError.duplicate(Paths.child(p, "name"), name));
                }
            }
            Checks.portField(port, "containerPort", p, true, errs);
            Checks.portField(port, "hostPort", p, false, errs);
            Checks.oneOf(Json.str(port, "protocol"), PROTOCOLS, p, "protocol", errs);
        }
    }

    private static void hostPortConflicts(List<ObjectNode> containers, String path, List<FieldError> errs) {
        Set<String> seen = new HashSet<>();
        for (int ci = 0; ci < containers.size(); ci++) {
            List<ObjectNode> ports = Json.objs(containers.get(ci), "ports");
            for (int pi = 0; pi < ports.size(); pi++) {
                ObjectNode port = ports.get(pi);
                Long hostPort = Json.lng(port, "hostPort");
                if (hostPort == null || hostPort == 0) {
                    continue;
                }
                String key = Json.strOr(port, "hostIP", "") + "/" + Json.strOr(port, "protocol", "") + "/" + hostPort;
                if (!seen.add(key)) {
                    errs.add(FieldError.duplicate(Paths.child(Paths.index(Paths.child(Paths.index(path, ci), "ports"), pi), "hostPort"), key));
                }
            }
        }
    }

    private static void env(List<ObjectNode> vars, String path, List<FieldError> errs) {
        for (int i = 0; i < vars.size(); i++) {
            ObjectNode v = vars.get(i);
            String p = Paths.index(path, i);
            String name = Json.strOr(v, "name", "");
            if (name.isEmpty()) {
                errs.add(FieldError.required(Paths.child(p, "name"), ""));
            }
            for (String m : NameValidation.isRelaxedEnvVarName(name)) {
                errs.add(FieldError.invalid(Paths.child(p, "name"), name, m));
            }
            ObjectNode from = Json.obj(v, "valueFrom");
            if (from != null) {
                String fp = Paths.child(p, "valueFrom");
                int sources = 0;
                for (String s : List.of("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef")) {
                    if (Json.has(from, s)) {
                        sources++;
                        ObjectNode src = Json.obj(from, s);
                        if (s.equals("fieldRef")) {
                            Checks.required(src, "fieldPath", Paths.child(Paths.child(fp, s), "fieldPath"), errs);
                        } else if (s.equals("resourceFieldRef")) {
                            Checks.required(src, "resource", Paths.child(Paths.child(fp, s), "resource"), errs);
                        } else {
                            Checks.required(src, "key", Paths.child(Paths.child(fp, s), "key"), errs);
                        }
                    }
                }
                if (!Json.strOr(v, "value", "").isEmpty() && sources != 0) {
                    errs.add(FieldError.invalid(fp, "", "may not be specified when `value` is not empty"));
                }
                if (sources == 0) {
                    errs.add(FieldError.invalid(fp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
                } else if (sources > 1) {
                    errs.add(FieldError.invalid(fp, "", "may not have more than one field specified at a time"));
                }
            }
        }
    }

    private static void envFrom(List<ObjectNode> sources, String path, List<FieldError> errs) {
        for (int i = 0; i < sources.size(); i++) {
            ObjectNode s = sources.get(i);
            String p = Paths.index(path, i);
            String prefix = Json.strOr(s, "prefix", "");
            if (!prefix.isEmpty()) {
                for (String m : NameValidation.isRelaxedEnvVarName(prefix)) {
                    errs.add(FieldError.invalid(Paths.child(p, "prefix"), prefix, m));
                }
            }
            int count = 0;
            for (String ref : List.of("configMapRef", "secretRef")) {
                ObjectNode r = Json.obj(s, ref);
                if (r != null) {
                    count++;
                    if (count > 1) {
                        errs.add(FieldError.forbidden(Paths.child(p, ref), "may not have more than one field specified at a time"));
                        continue;
                    }
                    String name = Json.strOr(r, "name", "");
                    if (name.isEmpty()) {
                        errs.add(FieldError.required(Paths.child(Paths.child(p, ref), "name"), ""));
                    } else {
                        Checks.dns1123Subdomain(name, Paths.child(Paths.child(p, ref), "name"), errs);
                    }
                }
            }
            if (count == 0) {
                errs.add(FieldError.invalid(p, "", "must specify one of: `configMapRef` or `secretRef`"));
            }
        }
    }

    static void resources(ObjectNode resources, String path, List<FieldError> errs) {
        if (resources == null) {
            return;
        }
        // paths and the quantities' canonical texts are built only for an error message: a valid pod (nearly every
        // write) printed each of its quantities for nothing
        String limPath = Paths.child(path, "limits");
        String reqPath = Paths.child(path, "requests");
        ObjectNode limits = Json.obj(resources, "limits");
        ObjectNode requests = Json.obj(resources, "requests");
        Map<String, BigDecimal> limitValues = limits == null || limits.isEmpty() ? Map.of() : new LinkedHashMap<>();
        if (limits != null) {
            for (Map.Entry<String, JsonNode> e : limits.properties()) {
                BigDecimal q = quantity(e.getKey(), e.getValue(), limPath, errs);
                if (q != null) {
                    limitValues.put(e.getKey(), q);
                }
            }
        }
        if (requests != null) {
            for (Map.Entry<String, JsonNode> e : requests.properties()) {
                BigDecimal q = quantity(e.getKey(), e.getValue(), reqPath, errs);
                if (q == null) {
                    continue;
                }
                String name = e.getKey();
                BigDecimal limit = limitValues.get(name);
                boolean overcommit = !isExtendedOrHugePages(name);
                if (limits != null && limits.has(name) && limit != null) {
                    if (q.compareTo(limit) != 0 && !overcommit) {
                        errs.add(FieldError.invalid(reqPath, quantityText(e.getValue()), "must be equal to " + name
                                + " limit of " + quantityText(limits.get(name))));
                    } else if (q.compareTo(limit) > 0) {
                        errs.add(FieldError.invalid(reqPath, quantityText(e.getValue()), "must be less than or equal to "
                                + name + " limit of " + quantityText(limits.get(name))));
                    }
                } else if (!overcommit) {
                    errs.add(FieldError.required(limPath, "Limit must be set for non overcommitable resources"));
                }
            }
        }
    }

    /** One quantity of limits or requests ({@code listPath}); its own path {@code listPath[name]} only on error. */
    private static BigDecimal quantity(String name, JsonNode value, String listPath, List<FieldError> errs) {
        for (String m : NameValidation.isQualifiedName(name)) {
            errs.add(FieldError.invalid(Paths.key(listPath, name), new GoFormat.Raw(name), m));
        }
        if (!name.contains("/")) {
            if (!STANDARD_CONTAINER_RESOURCES.contains(name) && !name.startsWith("hugepages-")) {
                errs.add(FieldError.invalid(Paths.key(listPath, name), new GoFormat.Raw(name),
                        "must be a standard resource for containers"));
            }
        } else if (!isNative(name) && !isExtendedOrHugePages(name)) {
            errs.add(FieldError.invalid(Paths.key(listPath, name), new GoFormat.Raw(name),
                    "doesn't follow extended resource name standard"));
        }
        BigDecimal q = QuantitySyntax.parse(value);
        if (q == null) {
            errs.add(FieldError.invalid(Paths.key(listPath, name), quantityText(value), QuantitySyntax.FORMAT_ERROR));
            return null;
        }
        if (q.signum() < 0) {
            errs.add(FieldError.invalid(Paths.key(listPath, name), quantityText(value),
                    "must be greater than or equal to 0"));
        }
        return q;
    }

    private static String quantityText(JsonNode v) {
        return QuantitySyntax.canonical(v);
    }

    private static boolean isNative(String name) {
        return !name.contains("/") || name.contains("kubernetes.io/");
    }

    /** Extended resources (domain-prefixed, not kubernetes.io) and huge pages may not be overcommitted. */
    private static boolean isExtendedOrHugePages(String name) {
        if (name.startsWith("hugepages-")) {
            return true;
        }
        return !isNative(name) && !name.startsWith("requests.");
    }

    private static void probes(ObjectNode c, String p, List<FieldError> errs) {
        ObjectNode lifecycle = Json.obj(c, "lifecycle");
        if (lifecycle != null) {
            for (String hook : List.of("postStart", "preStop")) {
                ObjectNode h = Json.obj(lifecycle, hook);
                if (h != null) {
                    handler(h, Paths.child(Paths.child(p, "lifecycle"), hook), true, errs);
                }
            }
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            ObjectNode pr = Json.obj(c, probe);
            if (pr == null) {
                continue;
            }
            String pp = Paths.child(p, probe);
            handler(pr, pp, false, errs);
            for (String f : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold")) {
                Checks.nonNegative(pr, f, Paths.child(pp, f), errs);
            }
            Long success = Json.lng(pr, "successThreshold");
            if (!probe.equals("readinessProbe") && success != null && success != 1) {
                errs.add(FieldError.invalid(Paths.child(pp, "successThreshold"), success, "must be 1"));
            }
            Long grace = Json.lng(pr, "terminationGracePeriodSeconds");
            if (probe.equals("readinessProbe") && grace != null) {
                errs.add(FieldError.invalid(Paths.child(pp, "terminationGracePeriodSeconds"), grace, "must not be set for readinessProbes"));
            } else if (grace != null && grace <= 0) {
                errs.add(FieldError.invalid(Paths.child(pp, "terminationGracePeriodSeconds"), grace, "must be greater than 0"));
            }
        }
    }

    private static void handler(ObjectNode h, String path, boolean lifecycle, List<FieldError> errs) {
        int handlers = 0;
        List<String> kinds = lifecycle ? List.of("exec", "httpGet", "tcpSocket", "sleep") : List.of("exec", "httpGet", "tcpSocket", "grpc");
        for (String kind : kinds) {
            ObjectNode a = Json.obj(h, kind);
            if (a == null) {
                continue;
            }
            if (handlers > 0) {
                errs.add(FieldError.forbidden(Paths.child(path, kind), "may not specify more than 1 handler type"));
                continue;
            }
            handlers++;
            String ap = Paths.child(path, kind);
            switch (kind) {
                case "exec" -> {
                    if (Json.arr(a, "command").isEmpty()) {
                        errs.add(FieldError.required(Paths.child(ap, "command"), ""));
                    }
                }
                case "httpGet" -> {
                    if (Json.strOr(a, "path", "").isEmpty()) {
                        errs.add(FieldError.required(Paths.child(ap, "path"), ""));
                    }
                    Checks.portNumOrName(Json.node(a, "port"), Paths.child(ap, "port"), errs);
                    Checks.optionalOneOf(Json.str(a, "scheme"), List.of("HTTP", "HTTPS"), Paths.child(ap, "scheme"), errs);
                }
                case "tcpSocket" -> Checks.portNumOrName(Json.node(a, "port"), Paths.child(ap, "port"), errs);
                case "grpc" -> Checks.port(a, "port", Paths.child(ap, "port"), true, errs);
                default -> { }
            }
        }
        if (handlers == 0) {
            errs.add(FieldError.required(path, "must specify a handler type"));
        }
    }

    static Set<String> volumes(List<ObjectNode> volumes, String path, List<FieldError> errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            ObjectNode v = volumes.get(i);
            String p = Paths.index(path, i);
            List<FieldError> el = new java.util.ArrayList<>();
            volumeSource(v, p, el);
            String name = Json.strOr(v, "name", "");
            if (name.isEmpty()) {
                el.add(FieldError.required(Paths.child(p, "name"), ""));
            } else {
                Checks.dns1123Label(name, Paths.child(p, "name"), el);
            }
            if (names.contains(name)) {
                el.add(FieldError.duplicate(Paths.child(p, "name"), name));
            }
            if (el.isEmpty()) {
                names.add(name);
            } else {
                errs.addAll(el);
            }
        }
        return names;
    }

    private static void volumeSource(ObjectNode v, String p, List<FieldError> errs) {
        int found = 0;
        for (String s : VOLUME_SOURCES) {
            if (!Json.has(v, s)) {
                continue;
            }
            if (found > 0) {
                errs.add(FieldError.forbidden(Paths.child(p, s), "may not specify more than 1 volume type"));
                continue;
            }
            found++;
            ObjectNode src = Json.obj(v, s);
            String sp = Paths.child(p, s);
            switch (s) {
                case "hostPath" -> {
                    Checks.required(src, "path", Paths.child(sp, "path"), errs);
                    Checks.optionalOneOf(Json.str(src, "type"), List.of("DirectoryOrCreate", "Directory", "FileOrCreate", "File",
                            "Socket", "CharDevice", "BlockDevice"), Paths.child(sp, "type"), errs);
                }
                case "secret" -> {
                    Checks.required(src, "secretName", Paths.child(sp, "secretName"), errs);
                    mode(src, "defaultMode", Paths.child(sp, "defaultMode"), errs);
                    keyToPaths(src, sp, errs);
                }
                case "configMap" -> {
                    Checks.required(src, "name", Paths.child(sp, "name"), errs);
                    mode(src, "defaultMode", Paths.child(sp, "defaultMode"), errs);
                    keyToPaths(src, sp, errs);
                }
                case "persistentVolumeClaim" -> Checks.required(src, "claimName", Paths.child(sp, "claimName"), errs);
                case "nfs" -> {
                    Checks.required(src, "server", Paths.child(sp, "server"), errs);
                    Checks.required(src, "path", Paths.child(sp, "path"), errs);
                }
                case "emptyDir" -> Checks.optionalOneOf(Json.str(src, "medium"), List.of("Memory", "HugePages"), Paths.child(sp, "medium"), errs);
                case "downwardAPI", "projected" -> mode(src, "defaultMode", Paths.child(sp, "defaultMode"), errs);
                case "csi" -> Checks.required(src, "driver", Paths.child(sp, "driver"), errs);
                default -> { }
            }
        }
        if (found == 0) {
            errs.add(FieldError.required(p, "must specify a volume type"));
        }
    }

    private static void mode(ObjectNode src, String field, String path, List<FieldError> errs) {
        Long mode = Json.lng(src, field);
        if (mode != null && (mode < 0 || mode > 0777)) {
            errs.add(FieldError.invalid(path, mode, "must be a number between 0 and 0777 (octal), both inclusive"));
        }
    }

    private static void keyToPaths(ObjectNode src, String sp, List<FieldError> errs) {
        List<ObjectNode> items = Json.objs(src, "items");
        for (int i = 0; i < items.size(); i++) {
            ObjectNode item = items.get(i);
            String ip = Paths.index(Paths.child(sp, "items"), i);
            Checks.required(item, "key", Paths.child(ip, "key"), errs);
            String path = Json.strOr(item, "path", "");
            if (path.isEmpty()) {
                errs.add(FieldError.required(Paths.child(ip, "path"), ""));
            } else {
                localDescendingPath(path, Paths.child(ip, "path"), errs);
            }
            mode(item, "mode", Paths.child(ip, "mode"), errs);
        }
    }

    static void localDescendingPath(String path, String fieldPath, List<FieldError> errs) {
        if (path.startsWith("/")) {
            errs.add(FieldError.invalid(fieldPath, path, "must be a relative path"));
        }
        for (String part : path.split("[/\\\\]")) {
            if (part.equals("..")) {
                errs.add(FieldError.invalid(fieldPath, path, "must not contain '..'"));
                break;
            }
        }
    }

    private static void volumeMounts(List<ObjectNode> mounts, Set<String> volumes, String path, List<FieldError> errs) {
        Set<String> mountPoints = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            ObjectNode m = mounts.get(i);
            String p = Paths.index(path, i);
            String name = Json.strOr(m, "name", "");
            if (name.isEmpty()) {
                errs.add(FieldError.required(Paths.child(p, "name"), ""));
            }
            if (!volumes.contains(name)) {
                errs.add(FieldError.notFound(Paths.child(p, "name"), name));
            }
            String mountPath = Json.strOr(m, "mountPath", "");
            if (mountPath.isEmpty()) {
                errs.add(FieldError.required(Paths.child(p, "mountPath"), ""));
            }
            if (!mountPoints.add(mountPath)) {
                errs.add(FieldError.invalid(Paths.child(p, "mountPath"), mountPath, "must be unique"));
            }
            String subPath = Json.strOr(m, "subPath", "");
            if (!subPath.isEmpty()) {
                localDescendingPath(subPath, Paths.child(path, "subPath"), errs);
            }
            Checks.optionalOneOf(Json.str(m, "mountPropagation"), List.of("None", "HostToContainer", "Bidirectional"),
                    Paths.child(p, "mountPropagation"), errs);
        }
    }

    static void tolerations(List<ObjectNode> tolerations, String path, List<FieldError> errs) {
        for (int i = 0; i < tolerations.size(); i++) {
            ObjectNode t = tolerations.get(i);
            String p = Paths.index(path, i);
            String key = Json.strOr(t, "key", "");
            String op = Json.strOr(t, "operator", "");
            String value = Json.strOr(t, "value", "");
            String effect = Json.strOr(t, "effect", "");
            if (!key.isEmpty()) {
                Checks.qualifiedName(key, Paths.child(p, "key"), errs);
            }
            if (key.isEmpty() && !op.equals("Exists")) {
                errs.add(FieldError.invalid(Paths.child(p, "operator"), op,
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }
            if (Json.has(t, "tolerationSeconds") && !effect.equals("NoExecute")) {
                errs.add(FieldError.invalid(Paths.child(p, "effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }
            switch (op) {
                case "Equal", "" -> {
                    List<String> msgs = NameValidation.isValidLabelValue(value);
                    if (!msgs.isEmpty()) {
                        errs.add(FieldError.invalid(Paths.child(p, "operator"), value, String.join(";", msgs)));
                    }
                }
                case "Exists" -> {
                    if (!value.isEmpty()) {
                        errs.add(FieldError.invalid(Paths.child(p, "operator"), t, "value must be empty when `operator` is 'Exists'"));
                    }
                }
                default -> errs.add(FieldError.notSupported(Paths.child(p, "operator"), op, List.of("Equal", "Exists")));
            }
            if (!effect.isEmpty()) {
                Checks.optionalOneOf(effect, TAINT_EFFECTS, Paths.child(p, "effect"), errs);
            }
        }
    }

    private static void dnsConfig(ObjectNode spec, String path, List<FieldError> errs) {
        ObjectNode config = Json.obj(spec, "dnsConfig");
        if ("None".equals(Json.str(spec, "dnsPolicy"))) {
            if (config == null) {
                errs.add(FieldError.required(path, "must provide `dnsConfig` when `dnsPolicy` is None"));
                return;
            }
            if (Json.arr(config, "nameservers").isEmpty()) {
                errs.add(FieldError.required(Paths.child(path, "nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None"));
            }
        }
        if (config != null && Json.arr(config, "nameservers").size() > 3) {
            errs.add(FieldError.invalid(Paths.child(path, "nameservers"), Json.strs(config, "nameservers"),
                    "must not have more than 3 nameservers"));
        }
    }

    private static void readinessGates(ObjectNode spec, String path, List<FieldError> errs) {
        List<ObjectNode> gates = Json.objs(spec, "readinessGates");
        for (int i = 0; i < gates.size(); i++) {
            Checks.qualifiedName(Json.strOr(gates.get(i), "conditionType", ""), Paths.child(Paths.index(path, i), "conditionType"), errs);
        }
    }
}

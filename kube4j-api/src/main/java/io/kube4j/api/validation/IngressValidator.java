package io.kube4j.api.validation;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** networking.k8s.io/v1 Ingress: rules, hosts, paths and backends. */
final class IngressValidator extends KindValidator {
    static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");

    IngressValidator() {
        super(true, NameFn.DNS_SUBDOMAIN);
    }

    @Override
    void validate(ObjectNode ingress, List<FieldError> errs) {
        ObjectNode spec = Json.obj(ingress, "spec");
        List<ObjectNode> rules = Json.objs(spec, "rules");
        ObjectNode defaultBackend = Json.obj(spec, "defaultBackend");
        if (rules.isEmpty() && defaultBackend == null) {
            errs.add(FieldError.invalid("spec", new GoFormat.Raw("[]networking.IngressRule(nil)"),
                    "either `defaultBackend` or `rules` must be specified"));
        }
        if (defaultBackend != null) {
            backend(defaultBackend, "spec.defaultBackend", errs);
        }
        for (int i = 0; i < rules.size(); i++) {
            ObjectNode rule = rules.get(i);
            String p = Paths.index("spec.rules", i);
            String host = Json.strOr(rule, "host", "");
            if (!host.isEmpty()) {
                if (host.contains("*")) {
                    for (String m : NameValidation.isWildcardDns1123Subdomain(host)) {
                        errs.add(FieldError.invalid(Paths.child(p, "host"), host, m));
                    }
                } else {
                    Checks.dns1123Subdomain(host, Paths.child(p, "host"), errs);
                }
            }
            ObjectNode http = Json.obj(rule, "http");
            if (http == null) {
                continue;
            }
            List<ObjectNode> paths = Json.objs(http, "paths");
            if (paths.isEmpty()) {
                errs.add(FieldError.required(Paths.child(p, "http.paths"), ""));
            }
            for (int j = 0; j < paths.size(); j++) {
                ObjectNode path = paths.get(j);
                String pp = Paths.index(Paths.child(p, "http.paths"), j);
                String pathType = Json.str(path, "pathType");
                String value = Json.strOr(path, "path", "");
                if (pathType == null || pathType.isEmpty()) {
                    errs.add(FieldError.required(Paths.child(pp, "pathType"), "pathType must be specified"));
                } else if (!PATH_TYPES.contains(pathType)) {
                    errs.add(FieldError.notSupported(Paths.child(pp, "pathType"), pathType, PATH_TYPES));
                } else if (!pathType.equals("ImplementationSpecific") || !value.isEmpty()) {
                    if (!value.startsWith("/")) {
                        errs.add(FieldError.invalid(Paths.child(pp, "path"), value, "must be an absolute path"));
                    } else if (!pathType.equals("ImplementationSpecific")) {
                        for (String bad : List.of("//", "/./", "/../", "%2f", "%2F")) {
                            if (value.contains(bad)) {
                                errs.add(FieldError.invalid(Paths.child(pp, "path"), value, "must not contain '" + bad + "'"));
                            }
                        }
                        for (String bad : List.of("/..", "/.")) {
                            if (value.endsWith(bad)) {
                                errs.add(FieldError.invalid(Paths.child(pp, "path"), value, "cannot end with '" + bad + "'"));
                            }
                        }
                    }
                }
                backend(Json.obj(path, "backend"), Paths.child(pp, "backend"), errs);
            }
        }
        String className = Json.str(spec, "ingressClassName");
        if (className != null) {
            Checks.dns1123Subdomain(className, "spec.ingressClassName", errs);
        }
    }

    private static void backend(ObjectNode backend, String path, List<FieldError> errs) {
        ObjectNode service = Json.obj(backend, "service");
        ObjectNode resource = Json.obj(backend, "resource");
        if (service != null && resource != null) {
            errs.add(FieldError.invalid(path, "", "cannot set both resource and service backends"));
            return;
        }
        if (resource != null) {
            Checks.required(resource, "kind", Paths.child(path, "resource.kind"), errs);
            Checks.required(resource, "name", Paths.child(path, "resource.name"), errs);
            return;
        }
        if (service == null) {
            errs.add(FieldError.invalid(path, "", "resource or service backend is required"));
            return;
        }
        String name = Json.strOr(service, "name", "");
        if (name.isEmpty()) {
            errs.add(FieldError.required(Paths.child(path, "service.name"), ""));
        } else {
            for (String m : NameValidation.isDns1035Label(name)) {
                errs.add(FieldError.invalid(Paths.child(path, "service.name"), name, m));
            }
        }
        ObjectNode port = Json.obj(service, "port");
        String portName = Json.strOr(port, "name", "");
        Long portNumber = Json.lng(port, "number");
        boolean hasName = !portName.isEmpty();
        boolean hasNumber = portNumber != null && portNumber != 0;
        if (hasName && hasNumber) {
            errs.add(FieldError.invalid(path, "", "cannot set both port name & port number"));
        } else if (hasName) {
            for (String m : NameValidation.isValidPortName(portName)) {
                errs.add(FieldError.invalid(Paths.child(path, "service.port.name"), portName, m));
            }
        } else if (hasNumber) {
            for (String m : NameValidation.isValidPortNum(portNumber)) {
                errs.add(FieldError.invalid(Paths.child(path, "service.port.number"), portNumber, m));
            }
        } else {
            errs.add(FieldError.required(path, "port name or number is required"));
        }
    }
}

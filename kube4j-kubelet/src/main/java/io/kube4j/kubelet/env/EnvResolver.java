package io.kube4j.kubelet.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** A container's environment as upstream builds it (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables). */
public final class EnvResolver {
    private final ObjectSource objects;
    private final Supplier<Map<String, Quantity>> nodeAllocatable;

    /** Where this resolver reads ConfigMaps and Secrets; the image puller reads pull secrets there too. */
    public ObjectSource objects() {
        return objects;
    }

    public EnvResolver(ObjectSource objects, Supplier<Map<String, Quantity>> nodeAllocatable) {
        this.objects = objects;
        this.nodeAllocatable = nodeAllocatable;
    }

    /** Ordered: service links, then envFrom, then env; later entries win, $(VAR) refers to earlier ones. */
    public Map<String, String> resolve(Pod pod, Container container, String hostIp, String podIp) {
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> result = new LinkedHashMap<>();
        Map<String, String> serviceEnv = Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks())
                ? masterServiceOnly(ns) : serviceEnv(ns, true);
        if (container.getEnvFrom() != null) {
            for (EnvFromSource from : container.getEnvFrom()) {
                String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                if (from.getConfigMapRef() != null) {
                    String name = from.getConfigMapRef().getName();
                    ConfigMap cm = objects.configMap(ns, name);
                    if (cm == null) {
                        if (Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                            continue;
                        }
                        throw new ContainerConfigException("configmap \"" + name + "\" not found");
                    }
                    if (cm.getData() != null) {
                        cm.getData().forEach((k, v) -> result.put(prefix + k, v));
                    }
                }
                if (from.getSecretRef() != null) {
                    String name = from.getSecretRef().getName();
                    Secret secret = objects.secret(ns, name);
                    if (secret == null) {
                        if (Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
                            continue;
                        }
                        throw new ContainerConfigException("secret \"" + name + "\" not found");
                    }
                    secretData(secret).forEach((k, v) -> result.put(prefix + k, v));
                }
            }
        }
        if (container.getEnv() != null) {
            for (EnvVar var : container.getEnv()) {
                String value;
                if (var.getValueFrom() != null) {
                    value = valueFrom(pod, container, var.getValueFrom(), hostIp, podIp);
                    if (value == null) {
                        continue; // optional and absent
                    }
                } else {
                    Map<String, String> scope = new LinkedHashMap<>(serviceEnv);
                    scope.putAll(result);
                    value = expand(var.getValue() == null ? "" : var.getValue(), scope);
                }
                result.put(var.getName(), value);
            }
        }
        Map<String, String> ordered = new LinkedHashMap<>(serviceEnv);
        ordered.putAll(result);
        return ordered;
    }

    private String valueFrom(Pod pod, Container container, EnvVarSource source, String hostIp, String podIp) {
        String ns = pod.getMetadata().getNamespace();
        if (source.getFieldRef() != null) {
            return FieldPaths.field(pod, source.getFieldRef().getFieldPath(), hostIp, podIp);
        }
        if (source.getResourceFieldRef() != null) {
            return FieldPaths.resource(pod, container, source.getResourceFieldRef(), nodeAllocatable.get());
        }
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            ConfigMap cm = objects.configMap(ns, ref.getName());
            if (cm == null) {
                if (optional) {
                    return null;
                }
                throw new ContainerConfigException("configmap \"" + ref.getName() + "\" not found");
            }
            String v = cm.getData() == null ? null : cm.getData().get(ref.getKey());
            if (v == null && cm.getBinaryData() != null && cm.getBinaryData().containsKey(ref.getKey())) {
                v = new String(Base64.getDecoder().decode(cm.getBinaryData().get(ref.getKey())), StandardCharsets.UTF_8);
            }
            if (v == null) {
                if (optional) {
                    return null;
                }
                throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
            }
            return v;
        }
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Secret secret = objects.secret(ns, ref.getName());
            if (secret == null) {
                if (optional) {
                    return null;
                }
                throw new ContainerConfigException("secret \"" + ref.getName() + "\" not found");
            }
            String v = secretData(secret).get(ref.getKey());
            if (v == null) {
                if (optional) {
                    return null;
                }
                throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
            }
            return v;
        }
        return "";
    }

    static Map<String, String> secretData(Secret secret) {
        Map<String, String> out = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            out.putAll(secret.getStringData());
        }
        return out;
    }

    private Map<String, String> masterServiceOnly(String ns) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Service s : objects.services(ns)) {
            if ("default".equals(s.getMetadata().getNamespace()) && "kubernetes".equals(s.getMetadata().getName())) {
                env.putAll(forService(s));
            }
        }
        return env;
    }

    /** Upstream's docker-links style variables for every Service with a cluster IP in the pod's namespace. */
    private Map<String, String> serviceEnv(String ns, boolean includeMaster) {
        Map<String, String> env = new LinkedHashMap<>();
        List<Service> services = objects.services(ns);
        for (Service s : services) {
            boolean sameNs = ns.equals(s.getMetadata().getNamespace());
            boolean master = "default".equals(s.getMetadata().getNamespace()) && "kubernetes".equals(s.getMetadata().getName());
            if (sameNs || (includeMaster && master)) {
                env.putAll(forService(s));
            }
        }
        return env;
    }

    static Map<String, String> forService(Service s) {
        Map<String, String> env = new LinkedHashMap<>();
        String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
        if (ip == null || ip.isEmpty() || ip.equals("None")) {
            return env;
        }
        String name = s.getMetadata().getName().toUpperCase(Locale.ROOT).replace('-', '_');
        env.put(name + "_SERVICE_HOST", ip);
        List<ServicePort> ports = s.getSpec().getPorts() == null ? List.of() : s.getSpec().getPorts();
        if (ports.isEmpty()) {
            return env;
        }
        env.put(name + "_SERVICE_PORT", Integer.toString(ports.get(0).getPort()));
        for (ServicePort p : ports) {
            if (p.getName() != null && !p.getName().isEmpty()) {
                env.put(name + "_SERVICE_PORT_" + p.getName().toUpperCase(Locale.ROOT).replace('-', '_'), Integer.toString(p.getPort()));
            }
        }
        ServicePort first = ports.get(0);
        String proto = first.getProtocol() == null ? "tcp" : first.getProtocol().toLowerCase(Locale.ROOT);
        env.put(name + "_PORT", proto + "://" + ip + ":" + first.getPort());
        for (ServicePort p : ports) {
            String pr = p.getProtocol() == null ? "TCP" : p.getProtocol().toUpperCase(Locale.ROOT);
            String prefix = name + "_PORT_" + p.getPort() + "_" + pr;
            env.put(prefix, pr.toLowerCase(Locale.ROOT) + "://" + ip + ":" + p.getPort());
            env.put(prefix + "_PROTO", pr.toLowerCase(Locale.ROOT));
            env.put(prefix + "_PORT", Integer.toString(p.getPort()));
            env.put(prefix + "_ADDR", ip);
        }
        return env;
    }

    /** $(VAR) expansion as upstream's third_party/forked/golang/expansion: $$ escapes, unknown refs stay. */
    public static String expand(String input, Map<String, String> scope) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c == '$' && i + 1 < input.length()) {
                char next = input.charAt(i + 1);
                if (next == '$') {
                    out.append('$');
                    i += 2;
                    continue;
                }
                if (next == '(') {
                    int close = input.indexOf(')', i + 2);
                    if (close > 0) {
                        String name = input.substring(i + 2, close);
                        String v = scope.get(name);
                        out.append(v != null ? v : input, v != null ? 0 : i, v != null ? v.length() : close + 1);
                        i = close + 1;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}

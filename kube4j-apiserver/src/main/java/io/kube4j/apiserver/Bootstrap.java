package io.kube4j.apiserver;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.NamespaceLifecycle;
import io.kube4j.apiserver.registry.Resources;
import tools.jackson.databind.node.ObjectNode;

/** Objects every cluster has from the start: the system namespaces and the {@code kubernetes} service. */
final class Bootstrap {

    private Bootstrap() {
    }

    static void run(Resources resources, int port) {
        GenericRegistry namespaces = resources.find("", "v1", "namespaces").orElseThrow();
        for (String name : NamespaceLifecycle.SYSTEM_NAMESPACES) {
            if (namespaces.find(null, name).isEmpty()) {
                ObjectNode ns = Json.object();
                Json.metadata(ns).put("name", name);
                createIgnoringExisting(() -> namespaces.create(null, ns, false));
            }
        }
        GenericRegistry services = resources.find("", "v1", "services").orElseThrow();
        if (services.find("default", "kubernetes").isEmpty()) {
            ObjectNode svc = Json.object();
            ObjectNode metadata = Json.metadata(svc);
            metadata.put("name", "kubernetes");
            metadata.put("namespace", "default");
            metadata.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
            ObjectNode spec = svc.putObject("spec");
            spec.put("type", "ClusterIP");
            spec.put("clusterIP", resources.clusterIps().first());
            spec.put("sessionAffinity", "None");
            ObjectNode p = spec.putArray("ports").addObject();
            p.put("name", "https");
            p.put("protocol", "TCP");
            p.put("port", 443);
            p.put("targetPort", port);
            createIgnoringExisting(() -> services.create("default", svc, false));
        } else {
            targetSecurePort(services, port);
        }
    }

    /**
     * The {@code https} port of an existing {@code kubernetes} Service sent to this server's secure port, as upstream
     * updates the Service when its ports differ (a restart with another {@code --port}).
     */
    private static void targetSecurePort(GenericRegistry services, int port) {
        ObjectNode svc = services.find("default", "kubernetes").orElse(null);
        if (svc == null) {
            return;
        }
        boolean stale = false;
        for (tools.jackson.databind.JsonNode p : svc.path("spec").path("ports")) {
            if ("https".equals(p.path("name").asString("")) && p.path("targetPort").asInt(-1) != port) {
                stale = true;
            }
        }
        if (stale) {
            // the registry compares the result with what it read: changed on a copy
            services.guaranteedUpdate("default", "kubernetes", true, false, false, read -> {
                ObjectNode next = read.deepCopy();
                for (tools.jackson.databind.JsonNode p : next.path("spec").path("ports")) {
                    if ("https".equals(p.path("name").asString("")) && p instanceof ObjectNode o) {
                        o.put("targetPort", port);
                    }
                }
                return next;
            });
        }
    }

    /**
     * The {@code kube-public/cluster-info} ConfigMap: a kubeconfig holding only the server and its CA, readable
     * without credentials, from which a joining agent learns the CA (and checks it against its token's hash).
     * Rewritten when the CA changed.
     */
    static void clusterInfo(Resources resources, String serverUrl, java.security.cert.X509Certificate ca) {
        String caPem = io.kube4j.apiserver.pki.Pem.certificate(ca);
        String kubeconfig = "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- cluster:\n"
                + "    certificate-authority-data: " + java.util.Base64.getEncoder().encodeToString(
                        caPem.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\n"
                + "    server: " + serverUrl + "\n"
                + "  name: \"\"\n"
                + "contexts: null\n"
                + "current-context: \"\"\n"
                + "preferences: {}\n"
                + "users: null\n";
        GenericRegistry configMaps = resources.find("", "v1", "configmaps").orElseThrow();
        ObjectNode existing = configMaps.find("kube-public", "cluster-info").orElse(null);
        if (existing != null && existing.path("data").path("kubeconfig").asString("").contains(
                java.util.Base64.getEncoder().encodeToString(caPem.getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
            return;
        }
        ObjectNode cm = Json.object();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        ObjectNode metadata = Json.metadata(cm);
        metadata.put("name", "cluster-info");
        metadata.put("namespace", "kube-public");
        cm.putObject("data").put("kubeconfig", kubeconfig);
        if (existing == null) {
            createIgnoringExisting(() -> configMaps.create("kube-public", cm, false));
        } else {
            configMaps.update("kube-public", "cluster-info", cm, false, false);
        }
    }

    private static void createIgnoringExisting(Runnable create) {
        try {
            create.run();
        } catch (StatusException e) {
            if (e.code() != 409) {
                throw e;
            }
        }
    }
}

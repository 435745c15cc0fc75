package io.kube4j.apiserver;

import io.kube4j.api.defaults.SystemPriorityClasses;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.NamespaceLifecycle;
import io.kube4j.apiserver.registry.Resources;
import tools.jackson.databind.node.ObjectNode;

/**
 * Objects every cluster has from the start: the system namespaces (kept afterwards by
 * {@link SystemNamespacesController}), the system priority classes and {@code kube-public/cluster-info}. (Service
 * {@code default/kubernetes} is {@link KubernetesServiceController}'s.) All are written as kube-apiserver's, the
 * field manager upstream's loopback client records.
 */
final class Bootstrap {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Bootstrap.class);

    private Bootstrap() {
    }

    /**
     * Creates the system namespaces that do not exist (one still terminating exists); returns the names it created.
     * Run at start and then periodically by {@link SystemNamespacesController}.
     */
    static java.util.List<String> run(Resources resources) {
        GenericRegistry namespaces = resources.find("", "v1", "namespaces").orElseThrow();
        java.util.List<String> created = new java.util.ArrayList<>();
        for (String name : NamespaceLifecycle.SYSTEM_NAMESPACES) {
            if (namespaces.find(null, name).isEmpty()) {
                ObjectNode ns = Json.object();
                Json.metadata(ns).put("name", name);
                if (createIgnoringExisting(() -> namespaces.create(null, ns, false, GenericRegistry.SERVER_MANAGER))) {
                    created.add(name);
                }
            }
        }
        return created;
    }

    /**
     * Creates the system priority classes that do not exist, at each start (upstream's post-start hook
     * {@code scheduling/bootstrap-system-priority-classes}); one that exists is left as it is.
     */
    static void systemPriorityClasses(Resources resources) {
        GenericRegistry priorityClasses = resources.find("scheduling.k8s.io", "v1", "priorityclasses").orElseThrow();
        for (SystemPriorityClasses.SystemClass pc : SystemPriorityClasses.ALL) {
            if (priorityClasses.find(null, pc.name()).isEmpty()
                    && createIgnoringExisting(() -> priorityClasses.create(null, pc.toObject(), false,
                    GenericRegistry.SERVER_MANAGER))) {
                LOG.info("created PriorityClass {} with value {}", pc.name(), pc.value());
            }
        }
    }

    /**
     * The {@code kube-public/cluster-info} ConfigMap: a kubeconfig holding only the server and its CA, readable
     * without credentials, from which a joining agent learns the CA (and checks it against its token's hash).
     * {@code serverUrl} is where other hosts reach the server (kubeadm writes its advertise address and port).
     * Rewritten when the CA or the server changed (a restart with another --advertise-address or --port).
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
        if (existing != null && existing.path("data").path("kubeconfig").asString("").equals(kubeconfig)) {
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
            createIgnoringExisting(() -> configMaps.create("kube-public", cm, false, GenericRegistry.SERVER_MANAGER));
        } else {
            configMaps.update("kube-public", "cluster-info", cm, false, false, GenericRegistry.SERVER_MANAGER);
        }
    }

    /** Whether it created the object: false when it existed already (created meanwhile by another API server). */
    static boolean createIgnoringExisting(Runnable create) {
        try {
            create.run();
            return true;
        } catch (StatusException e) {
            if (e.code() != 409) {
                throw e;
            }
            return false;
        }
    }
}

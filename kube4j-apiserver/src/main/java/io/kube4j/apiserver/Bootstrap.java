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

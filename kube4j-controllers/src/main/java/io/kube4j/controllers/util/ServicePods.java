package io.kube4j.controllers.util;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/** What the endpoints controllers share: which pods back a Service, and their ports. */
public final class ServicePods {
    private ServicePods() {
    }

    public static boolean hasSelector(Service svc) {
        return svc.getSpec() != null && svc.getSpec().getSelector() != null && !svc.getSpec().getSelector().isEmpty()
                && !"ExternalName".equals(svc.getSpec().getType());
    }

    /** Pods selected by the service that have an IP and have not terminated (terminating ones included). */
    public static List<Pod> podsFor(Service svc, Informers informers) {
        List<Pod> out = new ArrayList<>();
        for (Pod p : informers.inNamespace(Pod.class, svc.getMetadata().getNamespace())) {
            if (Selectors.matchesMap(svc.getSpec().getSelector(), p.getMetadata().getLabels())
                    && p.getStatus() != null && p.getStatus().getPodIP() != null && !p.getStatus().getPodIP().isEmpty()
                    && !Pods.isTerminal(p)) {
                out.add(p);
            }
        }
        out.sort((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
        return out;
    }

    /** The pod's port for a service port: a number, or a container port looked up by name; null if the name is absent. */
    public static Integer resolvePort(ServicePort sp, Pod pod) {
        IntOrString target = sp.getTargetPort();
        if (target == null) {
            return sp.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        String name = target.getStrVal();
        if (name == null) {
            return sp.getPort();
        }
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException ignored) {
            // a named port
        }
        String protocol = sp.getProtocol() == null ? "TCP" : sp.getProtocol();
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort cp : c.getPorts()) {
                String cpProtocol = cp.getProtocol() == null ? "TCP" : cp.getProtocol();
                if (name.equals(cp.getName()) && protocol.equals(cpProtocol)) {
                    return cp.getContainerPort();
                }
            }
        }
        return null;
    }

    /** Enqueues the services that select a pod, before and after a change of its labels. */
    public static void watchPods(Informers informers, Consumer<String> enqueue) {
        informers.of(Pod.class).addEventHandler(Handlers.of(
                p -> enqueueSelecting(informers, p, enqueue),
                (o, n) -> {
                    enqueueSelecting(informers, n, enqueue);
                    if (!Objects.equals(o.getMetadata().getLabels(), n.getMetadata().getLabels())) {
                        enqueueSelecting(informers, o, enqueue);
                    }
                },
                p -> enqueueSelecting(informers, p, enqueue)));
    }

    private static void enqueueSelecting(Informers informers, Pod pod, Consumer<String> enqueue) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        for (Service svc : informers.inNamespace(Service.class, pod.getMetadata().getNamespace())) {
            if (hasSelector(svc) && Selectors.matchesMap(svc.getSpec().getSelector(), labels)) {
                enqueue.accept(Keys.of(svc));
            }
        }
    }
}

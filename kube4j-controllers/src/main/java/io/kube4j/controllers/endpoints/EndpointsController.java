package io.kube4j.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.ServicePods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The legacy core/v1 Endpoints of every Service with a selector: ready pods in addresses, not-ready
 * ones in notReadyAddresses (all in addresses with publishNotReadyAddresses), terminating pods
 * left out, one subset per resolved port set.
 */
public final class EndpointsController extends Controller {
    private final KubernetesClient client;
    private final Informers informers;

    public EndpointsController(ControllerContext ctx) {
        super("endpoints-controller", ctx.options().concurrentSyncs());
        this.client = ctx.client();
        this.informers = ctx.informers();
        informers.of(Service.class).addEventHandler(Handlers.any(this::enqueue));
        ServicePods.watchPods(informers, this::enqueue);
    }

    @Override
    public void sync(String key) {
        Service svc = informers.get(Service.class, key);
        String namespace = Keys.namespace(key);
        String name = Keys.name(key);
        if (svc == null) {
            try {
                client.endpoints().inNamespace(namespace).withName(name).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
            return;
        }
        if (!ServicePods.hasSelector(svc)) {
            return;
        }
        List<EndpointSubset> subsets = subsets(svc, ServicePods.podsFor(svc, informers));
        Endpoints current = client.endpoints().inNamespace(namespace).withName(name).get();
        Map<String, String> labels = new LinkedHashMap<>();
        if (svc.getMetadata().getLabels() != null) {
            labels.putAll(svc.getMetadata().getLabels());
        }
        if ("None".equals(svc.getSpec().getClusterIP())) {
            labels.put("service.kubernetes.io/headless", "");
        }
        if (current != null && Objects.equals(normalize(current.getSubsets()), subsets)
                && Objects.equals(current.getMetadata().getLabels() == null ? Map.of() : current.getMetadata().getLabels(), labels)) {
            return;
        }
        if (current == null) {
            client.endpoints().inNamespace(namespace).resource(new EndpointsBuilder().withNewMetadata().withName(name)
                    .withNamespace(namespace).withLabels(labels).endMetadata().withSubsets(subsets).build()).create();
        } else {
            client.endpoints().inNamespace(namespace).resource(new EndpointsBuilder(current).editMetadata()
                    .withLabels(labels).endMetadata().withSubsets(subsets).build()).update();
        }
    }

    private static List<EndpointSubset> normalize(List<EndpointSubset> s) {
        return s == null ? List.of() : s;
    }

    static List<EndpointSubset> subsets(Service svc, List<Pod> pods) {
        boolean publishNotReady = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
        Map<List<EndpointPort>, EndpointSubsetBuilder> byPorts = new LinkedHashMap<>();
        for (Pod pod : pods) {
            if (pod.getMetadata().getDeletionTimestamp() != null && !publishNotReady) {
                continue;
            }
            List<EndpointPort> ports = new ArrayList<>();
            if (svc.getSpec().getPorts() != null) {
                for (ServicePort sp : svc.getSpec().getPorts()) {
                    Integer port = ServicePods.resolvePort(sp, pod);
                    if (port != null) {
                        ports.add(new EndpointPortBuilder().withName(sp.getName()).withPort(port)
                                .withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol())
                                .withAppProtocol(sp.getAppProtocol()).build());
                    }
                }
            }
            EndpointAddressBuilder ab = new EndpointAddressBuilder().withIp(pod.getStatus().getPodIP())
                    .withNodeName(pod.getSpec().getNodeName())
                    .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                            .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build());
            if (pod.getSpec().getHostname() != null && svc.getMetadata().getName().equals(pod.getSpec().getSubdomain())) {
                ab.withHostname(pod.getSpec().getHostname());
            }
            EndpointAddress address = ab.build();
            EndpointSubsetBuilder subset = byPorts.computeIfAbsent(ports,
                    p -> new EndpointSubsetBuilder().withPorts(p.isEmpty() ? null : p));
            if (publishNotReady || Pods.isReady(pod)) {
                subset.addToAddresses(address);
            } else {
                subset.addToNotReadyAddresses(address);
            }
        }
        List<EndpointSubset> out = new ArrayList<>();
        byPorts.values().forEach(b -> out.add(b.build()));
        return out;
    }
}

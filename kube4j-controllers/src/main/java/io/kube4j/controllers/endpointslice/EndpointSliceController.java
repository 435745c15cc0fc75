package io.kube4j.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.OwnerRefs;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.ServicePods;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Maintains the EndpointSlices of every Service with a selector: one group of slices per address
 * type and resolved port set (a named port may resolve differently per pod), at most 100 endpoints
 * per slice, with ready/serving/terminating conditions. Existing slices are reused before new ones
 * are created, so a change rewrites as few slices as possible.
 */
public final class EndpointSliceController extends Controller {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
    public static final int MAX_ENDPOINTS_PER_SLICE = 100;

    private final KubernetesClient client;
    private final Informers informers;

    public EndpointSliceController(ControllerContext ctx) {
        super("endpointslice-controller", ctx.options().concurrentSyncs());
        this.client = ctx.client();
        this.informers = ctx.informers();
        informers.of(Service.class).addEventHandler(Handlers.any(this::enqueue));
        ServicePods.watchPods(informers, this::enqueue);
        informers.of(EndpointSlice.class).addEventHandler(Handlers.any(slice -> {
            Map<String, String> labels = slice.getMetadata().getLabels();
            if (labels != null && MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL)) && labels.get(SERVICE_NAME_LABEL) != null) {
                enqueue(Keys.of(slice.getMetadata().getNamespace(), labels.get(SERVICE_NAME_LABEL)));
            }
        }));
    }

    /** One group of endpoints sharing an address type and port list. */
    record Group(String addressType, List<EndpointPort> ports) {
    }

    @Override
    public void sync(String key) {
        Service svc = informers.get(Service.class, key);
        List<EndpointSlice> existing = new ArrayList<>();
        String namespace = Keys.namespace(key);
        String name = Keys.name(key);
        for (EndpointSlice s : informers.inNamespace(EndpointSlice.class, namespace)) {
            Map<String, String> labels = s.getMetadata().getLabels();
            if (labels != null && name.equals(labels.get(SERVICE_NAME_LABEL)) && MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL))) {
                existing.add(s);
            }
        }
        if (svc == null || !ServicePods.hasSelector(svc)) {
            // Slices of a deleted service go with it through the garbage collector.
            return;
        }
        Map<Group, List<Endpoint>> desired = desiredEndpoints(svc, ServicePods.podsFor(svc, informers));
        reconcile(svc, desired, existing);
    }

    static Map<Group, List<Endpoint>> desiredEndpoints(Service svc, List<Pod> pods) {
        Map<Group, List<Endpoint>> groups = new LinkedHashMap<>();
        boolean publishNotReady = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
        for (Pod pod : pods) {
            String ip = pod.getStatus().getPodIP();
            String addressType = ip.contains(":") ? "IPv6" : "IPv4";
            List<EndpointPort> ports = new ArrayList<>();
            if (svc.getSpec().getPorts() != null) {
                for (ServicePort sp : svc.getSpec().getPorts()) {
                    Integer port = ServicePods.resolvePort(sp, pod);
                    if (port == null) {
                        continue;
                    }
                    ports.add(new EndpointPortBuilder().withName(sp.getName() == null ? "" : sp.getName())
                            .withPort(port).withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol())
                            .withAppProtocol(sp.getAppProtocol()).build());
                }
            }
            boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
            boolean serving = Pods.isReady(pod);
            boolean ready = publishNotReady || serving && !terminating;
            EndpointBuilder eb = new EndpointBuilder().withAddresses(ip)
                    .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
                    .withNodeName(pod.getSpec().getNodeName())
                    .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                            .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build());
            if (pod.getSpec().getHostname() != null && svc.getMetadata().getName().equals(pod.getSpec().getSubdomain())) {
                eb.withHostname(pod.getSpec().getHostname());
            }
            groups.computeIfAbsent(new Group(addressType, ports), g -> new ArrayList<>()).add(eb.build());
        }
        return groups;
    }

    private void reconcile(Service svc, Map<Group, List<Endpoint>> desired, List<EndpointSlice> existing) {
        List<EndpointSlice> unused = new ArrayList<>(existing);
        unused.sort((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
        List<EndpointSlice> toWrite = new ArrayList<>();
        if (desired.isEmpty()) {
            // Upstream keeps one empty placeholder slice so clients can tell "no endpoints" from "not synced".
            String family = svc.getSpec().getIpFamilies() != null && !svc.getSpec().getIpFamilies().isEmpty()
                    ? svc.getSpec().getIpFamilies().get(0) : "IPv4";
            desired = Map.of(new Group(family, List.of()), List.of());
        }
        for (Map.Entry<Group, List<Endpoint>> e : desired.entrySet()) {
            Group g = e.getKey();
            List<Endpoint> endpoints = e.getValue();
            int chunks = Math.max(1, (endpoints.size() + MAX_ENDPOINTS_PER_SLICE - 1) / MAX_ENDPOINTS_PER_SLICE);
            for (int c = 0; c < chunks; c++) {
                List<Endpoint> chunk = endpoints.subList(c * MAX_ENDPOINTS_PER_SLICE,
                        Math.min(endpoints.size(), (c + 1) * MAX_ENDPOINTS_PER_SLICE));
                EndpointSlice reuse = takeMatching(unused, g);
                EndpointSlice want = slice(svc, g, new ArrayList<>(chunk), reuse);
                if (reuse == null || !sameContent(reuse, want)) {
                    toWrite.add(want);
                }
            }
        }
        for (EndpointSlice s : toWrite) {
            var op = client.discovery().v1().endpointSlices().inNamespace(svc.getMetadata().getNamespace());
            if (s.getMetadata().getName() == null) {
                op.resource(s).create();
            } else {
                op.resource(s).update();
            }
        }
        for (EndpointSlice s : unused) {
            try {
                client.discovery().v1().endpointSlices().inNamespace(svc.getMetadata().getNamespace())
                        .withName(s.getMetadata().getName()).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    private static EndpointSlice takeMatching(List<EndpointSlice> unused, Group g) {
        Iterator<EndpointSlice> it = unused.iterator();
        while (it.hasNext()) {
            EndpointSlice s = it.next();
            List<EndpointPort> ports = s.getPorts() == null ? List.of() : s.getPorts();
            if (g.addressType().equals(s.getAddressType()) && ports.equals(g.ports())) {
                it.remove();
                return s;
            }
        }
        return null;
    }

    private static boolean sameContent(EndpointSlice a, EndpointSlice b) {
        return Objects.equals(a.getEndpoints() == null ? List.of() : a.getEndpoints(),
                b.getEndpoints() == null ? List.of() : b.getEndpoints())
                && Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels())
                && Objects.equals(a.getMetadata().getOwnerReferences(), b.getMetadata().getOwnerReferences());
    }

    static EndpointSlice slice(Service svc, Group g, List<Endpoint> endpoints, EndpointSlice reuse) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (svc.getMetadata().getLabels() != null) {
            labels.putAll(svc.getMetadata().getLabels());
        }
        labels.put(SERVICE_NAME_LABEL, svc.getMetadata().getName());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        if ("None".equals(svc.getSpec().getClusterIP())) {
            labels.put(HEADLESS_LABEL, "");
        } else {
            labels.remove(HEADLESS_LABEL);
        }
        EndpointSliceBuilder b = reuse == null ? new EndpointSliceBuilder().withNewMetadata()
                .withGenerateName(svc.getMetadata().getName() + "-").withNamespace(svc.getMetadata().getNamespace())
                .endMetadata() : new EndpointSliceBuilder(reuse);
        return b.editMetadata().withLabels(labels).withOwnerReferences(OwnerRefs.newControllerRef(svc)).endMetadata()
                .withAddressType(g.addressType()).withPorts(g.ports().isEmpty() ? null : g.ports())
                .withEndpoints(endpoints).build();
    }
}

package io.kube4j.proxy.kernel;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.List;
import java.util.Map;

/** Services and EndpointSlices as the API server and the EndpointSlice controller would write them. */
public final class KubeObjects {

    private KubeObjects() {
    }

    public static Service service(String name, String clusterIp, String type, int port, int nodePort) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withType(type).withClusterIP(clusterIp).withClusterIPs(clusterIp)
                .addNewPort().withName("http").withProtocol("TCP").withPort(port)
                .withNodePort(nodePort == 0 ? null : nodePort).endPort()
                .endSpec().build();
    }

    public static Endpoint endpoint(String ip, String node, boolean ready) {
        return new EndpointBuilder().withAddresses(ip).withNodeName(node)
                .withNewConditions().withReady(ready).withServing(ready).withTerminating(false).endConditions()
                .build();
    }

    public static EndpointSlice slice(String service, int port, List<Endpoint> endpoints) {
        return new EndpointSliceBuilder().withNewMetadata().withName(service + "-abcde").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", service).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withProtocol("TCP").withPort(port).endPort()
                .withEndpoints(endpoints).build();
    }

    public static Pod pod(String ns, String name, String ip, String node, Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").addNewPort().withName("web")
                .withContainerPort(8080).endPort().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).endStatus().build();
    }

    public static Namespace namespace(String name, Map<String, String> labels) {
        return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }

}

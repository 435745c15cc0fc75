package io.kube4j.proxy.kernel;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.List;

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
}

package io.kube4j.bench.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * Services and EndpointSlices as the API server and the EndpointSlice controller write them: service {@code i}
 * has a ClusterIP, one TCP port and {@code endpoints} ready endpoints spread over three nodes. Service 0's
 * endpoints are the benchmark pod's addresses, so connections through it really arrive.
 */
final class ServiceFixtures {
    static final int SERVICE_PORT = 80;

    private ServiceFixtures() {
    }

    static String name(int i) {
        return "svc-" + i;
    }

    static String clusterIp(int i) {
        return "10.43." + (1 + i / 200) + "." + (1 + i % 200);
    }

    static Service service(int i) {
        return new ServiceBuilder().withNewMetadata().withName(name(i)).withNamespace("default").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp(i)).withClusterIPs(clusterIp(i))
                .addToSelector("app", name(i))
                .addNewPort().withName("http").withProtocol("TCP").withPort(SERVICE_PORT)
                .withNewTargetPort(BenchNetwork.POD_PORT).endPort().endSpec().build();
    }

    /** The slice of service {@code i}; {@code generation} changes the first endpoint's address (a pod replaced). */
    static EndpointSlice slice(int i, int endpoints, int generation) {
        List<Endpoint> list = new ArrayList<>();
        for (int j = 0; j < endpoints; j++) {
            String ip;
            if (i == 0) {
                ip = BenchNetwork.podIp(j % BenchNetwork.POD_ADDRESSES);
            } else if (j == 0 && generation > 0) {
                ip = "10.42." + (200 + generation / 250) + "." + (1 + generation % 250);
            } else {
                int n = i * endpoints + j;
                ip = "10.42." + (1 + n / 250) + "." + (1 + n % 250);
            }
            list.add(new EndpointBuilder().withAddresses(ip).withNodeName("node-" + (j % 3))
                    .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                    .build());
        }
        return new EndpointSliceBuilder().withNewMetadata().withName(name(i) + "-abcde").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", name(i))
                .addToLabels("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io").endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withProtocol("TCP").withPort(BenchNetwork.POD_PORT).endPort()
                .withEndpoints(list).build();
    }
}

package io.kube4j.cli;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * The JSON mapping of a worker's API clients (kubelet, service proxy, the agent's join): fabric8's own mapper, but
 * knowing only the kinds a worker reads instead of the whole model.
 * <p>
 * fabric8's default {@link KubernetesSerialization} resolves the {@code kind} of a watch event's object through a
 * deserializer that, on first use, instantiates every class listed in the model jars'
 * {@code META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource} (351 kinds, each with the Builder and
 * Fluent classes reflection loads for it) - in the agent with 100 pods 535 fabric8 classes it never uses, class
 * metadata paid on every node for a dozen kinds read. Here the kinds are registered by hand. A kind that is not
 * registered still works: it is read as a GenericKubernetesResource, which fabric8's watch converts to the watched
 * type, so a missing entry only costs a conversion, never correctness.
 */
final class WorkerSerialization {
    /** What the kubelet and the proxy watch or read in responses that name their kind (watch events, lists). */
    static final List<Class<? extends KubernetesResource>> KINDS = List.of(
            Pod.class, Node.class, Service.class, EndpointSlice.class, Namespace.class, NetworkPolicy.class,
            ConfigMap.class, Secret.class, Lease.class, CertificateSigningRequest.class, RuntimeClass.class);

    private WorkerSerialization() {
    }

    static KubernetesSerialization create() {
        // the mapper fabric8's no-argument KubernetesSerialization builds, so the worker reads and writes the same JSON
        JsonMapper mapper = JsonMapper.builderWithJackson2Defaults().addModule(new Jackson2JdkTypesModule()).build();
        KubernetesSerialization serialization = new KubernetesSerialization(mapper, false);
        KINDS.forEach(serialization::registerKubernetesResource);
        return serialization;
    }
}

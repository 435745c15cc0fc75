package io.kube4j.kubelet.nodestatus;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/** The node's heartbeat: {@code kube-node-lease/<node>}, renewed every 10 s, owned by the Node. */
public final class NodeLease {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLease.class);
    public static final String NAMESPACE = "kube-node-lease";
    static final int DURATION_SECONDS = 40;

    private final KubernetesClient client;
    private final String nodeName;
    private final Supplier<Node> node;
    private Lease lease;

    public NodeLease(KubernetesClient client, String nodeName, Supplier<Node> node) {
        this.client = client;
        this.nodeName = nodeName;
        this.node = node;
    }

    public synchronized void renew() {
        java.time.ZonedDateTime now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
        try {
            if (lease == null) {
                lease = client.leases().inNamespace(NAMESPACE).withName(nodeName).get();
            }
            if (lease == null) {
                LeaseBuilder b = new LeaseBuilder().withNewMetadata().withName(nodeName).withNamespace(NAMESPACE).endMetadata()
                        .withNewSpec().withHolderIdentity(nodeName).withLeaseDurationSeconds(DURATION_SECONDS)
                        .withRenewTime(now).endSpec();
                Node n = node.get();
                if (n != null && n.getMetadata().getUid() != null) {
                    b.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                            .withName(nodeName).withUid(n.getMetadata().getUid()).build()).endMetadata();
                }
                lease = client.leases().inNamespace(NAMESPACE).resource(b.build()).create();
                return;
            }
            lease.getSpec().setRenewTime(now);
            lease.getSpec().setHolderIdentity(nodeName);
            lease.getSpec().setLeaseDurationSeconds(DURATION_SECONDS);
            lease = client.leases().inNamespace(NAMESPACE).resource(lease).update();
        } catch (KubernetesClientException e) {
            // 409: someone else wrote it; 404: deleted. Either way, read it fresh next time.
            lease = null;
            if (e.getCode() == 404 && isNamespaceMissing(e)) {
                createNamespace();
            }
            LOG.debug("lease renewal for {} failed: {}", nodeName, e.getMessage());
        }
    }

    private static boolean isNamespaceMissing(KubernetesClientException e) {
        return e.getMessage() != null && e.getMessage().contains("namespaces");
    }

    private void createNamespace() {
        try {
            client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                    .withName(NAMESPACE).endMetadata().build()).create();
        } catch (KubernetesClientException ignored) {
            // created by someone else meanwhile
        }
    }
}

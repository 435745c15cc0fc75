package io.kube4j.controllers.nodeipam;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Gives each Node a {@code spec.podCIDR} from the cluster CIDR (upstream's range allocator). One
 * worker, and every CIDR already on a node is occupied before the first allocation, so two nodes
 * never get the same range; a deleted node's range is released. A range is written to its node once:
 * until the informer shows it, a sync of that node (its own patch's update, a kubelet heartbeat) finds
 * it among the ranges already assigned and does not patch again.
 */
public final class NodeIpamController extends Controller {
    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder recorder;
    private final CidrSet cidrs;
    /** Ranges handed out but possibly not yet visible in the cache, by node name. */
    private final Map<String, String> allocated = new HashMap<>();
    /** The nodes whose range in {@link #allocated} the server has accepted. */
    private final Set<String> assigned = new HashSet<>();
    private boolean occupiedExisting;

    public NodeIpamController(ControllerContext ctx) {
        super("node-ipam-controller", 1);
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.recorder = ctx.recorder("cidrAllocator");
        this.cidrs = new CidrSet(ctx.options().clusterCidr(), ctx.options().nodeCidrMaskSize());
        informers.of(Node.class).addEventHandler(Handlers.of(this::enqueue, (o, n) -> enqueue(n), this::nodeDeleted));
    }

    private synchronized void nodeDeleted(Node node) {
        String cidr = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
        String pending = allocated.remove(node.getMetadata().getName());
        assigned.remove(node.getMetadata().getName());
        if (cidr != null) {
            cidrs.release(cidr);
        } else if (pending != null) {
            cidrs.release(pending);
        }
    }

    @Override
    public synchronized void sync(String name) {
        if (!occupiedExisting) {
            for (Node n : informers.list(Node.class)) {
                if (n.getSpec() != null && n.getSpec().getPodCIDR() != null) {
                    cidrs.occupy(n.getSpec().getPodCIDR());
                }
            }
            occupiedExisting = true;
        }
        Node node = informers.get(Node.class, name);
        if (node == null) {
            return;
        }
        String existing = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
        if (existing != null && !existing.isEmpty()) {
            cidrs.occupy(existing);
            allocated.remove(name);
            assigned.remove(name);
            return;
        }
        if (assigned.contains(name)) {
            // patched already; the cache has yet to show it
            return;
        }
        String cidr = allocated.get(name);
        if (cidr == null) {
            cidr = cidrs.allocateNext();
            if (cidr == null) {
                recorder.event(node, EventRecorder.NORMAL, "CIDRNotAvailable",
                        "Node " + name + " status is now: CIDRNotAvailable");
                throw new IllegalStateException("no pod CIDR left for node " + name);
            }
            allocated.put(name, cidr);
        }
        String json = client.getKubernetesSerialization().asJson(cidr);
        String patch = (node.getSpec() == null ? "[{\"op\":\"add\",\"path\":\"/spec\",\"value\":{}}," : "[")
                + "{\"op\":\"add\",\"path\":\"/spec/podCIDR\",\"value\":" + json + "},"
                + "{\"op\":\"add\",\"path\":\"/spec/podCIDRs\",\"value\":[" + json + "]}]";
        try {
            client.nodes().withName(name).patch(PatchContext.of(PatchType.JSON), patch);
            // no event: upstream's allocator records only its failures (CIDRNotAvailable), so kubectl describe node
            // shows none for a range assigned
            assigned.add(name);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                cidrs.release(cidr);
                allocated.remove(name);
                return;
            }
            throw e;
        }
    }
}

package io.kube4j.apiserver.resourcemetrics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest usage of every node and pod, as metrics-server keeps it: in memory, from the last two scrapes of each
 * node. A node or container seen only once has no rate yet and is absent; a pod is present only when all of its
 * reported containers have a rate, so a pod's sum never leaves a container out.
 */
public final class UsageStore {

    /** A pod's usage per container (in the order the kubelet reported them). */
    public record PodUsage(String namespace, String name, Map<String, Usage> containers) {
    }

    private final Map<String, NodeState> nodes = new ConcurrentHashMap<>();

    /** Takes one scrape of a node in: the previous scrape becomes the base of the rates. */
    public void record(String nodeName, NodeScrape scrape) {
        nodes.compute(nodeName, (name, old) -> NodeState.next(old, scrape));
    }

    /** Forgets the nodes not in {@code present} (deleted, or no longer Ready). */
    public void retainNodes(Set<String> present) {
        nodes.keySet().retainAll(present);
    }

    public Optional<Usage> node(String name) {
        NodeState state = nodes.get(name);
        return state == null ? Optional.empty() : Optional.ofNullable(state.nodeUsage);
    }

    public Optional<PodUsage> pod(String namespace, String name) {
        String key = namespace + "/" + name;
        for (NodeState state : nodes.values()) {
            PodUsage pod = state.pods.get(key);
            if (pod != null) {
                return Optional.of(pod);
            }
        }
        return Optional.empty();
    }

    /** Every pod with usage, keyed by {@code namespace/name}. */
    public Map<String, PodUsage> pods() {
        Map<String, PodUsage> all = new HashMap<>();
        nodes.values().forEach(state -> all.putAll(state.pods));
        return all;
    }

    /** One node's last scrape and the rates it made with the one before. Immutable. */
    private record NodeState(NodeScrape last, Usage nodeUsage, Map<String, PodUsage> pods) {

        static NodeState next(NodeState previous, NodeScrape scrape) {
            if (previous == null) {
                return new NodeState(scrape, null, Map.of());
            }
            NodeScrape before = previous.last;
            Usage nodeUsage = scrape.node() != null && before.node() != null
                    ? Usage.between(before.node(), scrape.node()) : null;
            Map<String, PodUsage> pods = new HashMap<>();
            scrape.pods().forEach((key, containers) -> {
                Map<String, CumulativePoint> earlier = before.pods().get(key);
                if (earlier == null) {
                    return;
                }
                Map<String, Usage> usages = new LinkedHashMap<>();
                for (Map.Entry<String, CumulativePoint> c : containers.entrySet()) {
                    CumulativePoint base = earlier.get(c.getKey());
                    Usage usage = base == null ? null : Usage.between(base, c.getValue());
                    if (usage == null) {
                        return;
                    }
                    usages.put(c.getKey(), usage);
                }
                int slash = key.indexOf('/');
                pods.put(key, new PodUsage(key.substring(0, slash), key.substring(slash + 1), usages));
            });
            // a failed rate keeps the older figure out rather than showing a stale one as current
            return new NodeState(scrape, nodeUsage, Map.copyOf(pods));
        }
    }
}

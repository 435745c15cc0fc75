package io.kube4j.scheduler.plugins.imagelocality;

import io.fabric8.kubernetes.api.model.Container;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Handle;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.ScorePlugin;

import java.util.List;

/**
 * Favours nodes that already hold the pod's images, scaled by how widely each image is spread
 * (so one node with a popular image does not attract every pod).
 */
public final class ImageLocality implements ScorePlugin {
    public static final String NAME = "ImageLocality";
    static final long MB = 1024 * 1024;
    static final long MIN_THRESHOLD = 23 * MB;
    static final long MAX_CONTAINER_THRESHOLD = 1000 * MB;

    private final Handle handle;

    public ImageLocality(Handle handle) { this.handle = handle; }

    @Override public String name() { return NAME; }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        int totalNodes = handle.snapshot().size();
        List<Container> containers = pod.pod().getSpec().getContainers();
        List<Container> inits = pod.pod().getSpec().getInitContainers();
        int count = (containers == null ? 0 : containers.size()) + (inits == null ? 0 : inits.size());
        // A node without images scores the floor; most nodes of a large cluster, so no per-image lookups for them.
        if (node.imageSizes().isEmpty()) return calculate(0, count);
        return calculate(sum(pod.images(), node, totalNodes), count);
    }

    private long sum(List<String> images, NodeInfo node, int totalNodes) {
        if (totalNodes == 0) return 0;
        long sum = 0;
        for (String img : images) {
            Long size = node.imageSizes().get(img);
            if (size == null) continue;
            int spread = handle.snapshot().imageNodeCount(img);
            sum += (long) (size * ((double) spread / totalNodes));
        }
        return sum;
    }

    static long calculate(long sum, int numContainers) {
        long max = MAX_CONTAINER_THRESHOLD * Math.max(1, numContainers);
        if (sum < MIN_THRESHOLD) sum = MIN_THRESHOLD;
        else if (sum > max) sum = max;
        return MAX_NODE_SCORE * (sum - MIN_THRESHOLD) / (max - MIN_THRESHOLD);
    }
}

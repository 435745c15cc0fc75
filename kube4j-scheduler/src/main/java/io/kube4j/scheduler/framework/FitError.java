package io.kube4j.scheduler.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Upstream's FitError message: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) ... ." plus the PostFilter note. */
public final class FitError {
    public static final String NO_NODES = "no nodes available to schedule pods";

    private FitError() {}

    /** The reason histogram, e.g. "1 Insufficient cpu, 2 node(s) had untolerated taint {a: b}", sorted as strings. */
    public static String histogram(Map<String, Status> nodeStatuses) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Status s : nodeStatuses.values()) {
            for (String r : s.reasons()) counts.merge(r, 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>(counts.size());
        counts.forEach((reason, n) -> parts.add(n + " " + reason));
        parts.sort(null);
        return String.join(", ", parts);
    }

    /**
     * @param preFilterMsg set when a PreFilter plugin rejected the pod (then the node histogram is not repeated)
     * @param postFilterMsg PostFilter's message (preemption), may be null
     */
    public static String message(int numAllNodes, String preFilterMsg, Map<String, Status> nodeStatuses, String postFilterMsg) {
        StringBuilder sb = new StringBuilder().append("0/").append(numAllNodes).append(" nodes are available:");
        String body = preFilterMsg != null && !preFilterMsg.isEmpty() ? preFilterMsg : histogram(nodeStatuses);
        if (!body.isEmpty()) sb.append(' ').append(body).append('.');
        if (postFilterMsg != null && !postFilterMsg.isEmpty()) sb.append(' ').append(postFilterMsg);
        return sb.toString();
    }
}

package io.kube4j.kubelet.cm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Upstream's QoS classes (pkg/apis/core/helper/qos): Guaranteed, Burstable, BestEffort. */
public final class QosClasses {
    public static final String GUARANTEED = "Guaranteed";
    public static final String BURSTABLE = "Burstable";
    public static final String BEST_EFFORT = "BestEffort";
    private static final List<String> TRACKED = List.of("cpu", "memory");

    private QosClasses() {
    }

    public static String of(Pod pod) {
        List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        boolean anySet = false;
        boolean guaranteed = true;
        for (Container c : all) {
            Map<String, Quantity> requests = requests(c);
            Map<String, Quantity> limits = limits(c);
            for (String r : TRACKED) {
                Quantity req = requests.get(r);
                Quantity lim = limits.get(r);
                if (nonZero(req) || nonZero(lim)) {
                    anySet = true;
                }
                if (!nonZero(lim)) {
                    guaranteed = false;
                } else if (req != null && amount(req).compareTo(amount(lim)) != 0) {
                    guaranteed = false;
                }
            }
        }
        if (!anySet) {
            return BEST_EFFORT;
        }
        return guaranteed ? GUARANTEED : BURSTABLE;
    }

    static Map<String, Quantity> requests(Container c) {
        return c.getResources() == null || c.getResources().getRequests() == null ? Map.of() : c.getResources().getRequests();
    }

    static Map<String, Quantity> limits(Container c) {
        return c.getResources() == null || c.getResources().getLimits() == null ? Map.of() : c.getResources().getLimits();
    }

    static boolean nonZero(Quantity q) {
        return q != null && amount(q).signum() != 0;
    }

    static BigDecimal amount(Quantity q) {
        return q.getNumericalAmount();
    }
}

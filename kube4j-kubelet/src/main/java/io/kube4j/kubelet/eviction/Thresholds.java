package io.kube4j.kubelet.eviction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The kubelet's hard eviction thresholds ({@code --eviction-hard}). */
public record Thresholds(List<Threshold> all) {
    /** Upstream's defaults (Linux): memory.available<100Mi, nodefs.available<10%, imagefs.available<15%. */
    public static final String DEFAULTS = "memory.available<100Mi,nodefs.available<10%,imagefs.available<15%";

    public Thresholds {
        all = List.copyOf(all);
    }

    public static Thresholds defaults() {
        return parse(DEFAULTS);
    }

    /** None: the eviction manager still reports conditions as never under pressure, and evicts nothing. */
    public static Thresholds none() {
        return new Thresholds(List.of());
    }

    /** Parses upstream's flag syntax, e.g. {@code memory.available<100Mi,nodefs.available<10%}. */
    public static Thresholds parse(String spec) {
        List<Threshold> list = new ArrayList<>();
        if (spec != null) {
            for (String part : spec.split(",")) {
                if (!part.isBlank()) {
                    Threshold t = Threshold.parse(part.trim());
                    if (list.stream().anyMatch(x -> x.signal() == t.signal())) {
                        throw new IllegalArgumentException("eviction threshold for " + t.signal().flagName() + " given twice");
                    }
                    list.add(t);
                }
            }
        }
        return new Thresholds(list);
    }

    public Optional<Threshold> of(Signal signal) {
        return all.stream().filter(t -> t.signal() == signal).findFirst();
    }
}

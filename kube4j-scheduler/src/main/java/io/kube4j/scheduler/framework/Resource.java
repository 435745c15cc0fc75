package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.scheduler.util.Quantities;

import java.util.HashMap;
import java.util.Map;

/** A mutable bundle of compute resources in integer units (millicores, bytes, counts). */
public final class Resource {
    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    public long milliCpu;
    public long memory;
    public long ephemeralStorage;
    public long allowedPodNumber;
    /** Extended resources and hugepages; null when none, to keep the common case allocation-free. */
    public Map<String, Long> scalar;

    public static Resource fromList(Map<String, Quantity> list) {
        Resource r = new Resource();
        if (list != null) r.addList(list);
        return r;
    }

    public void addList(Map<String, Quantity> list) {
        for (Map.Entry<String, Quantity> e : list.entrySet()) {
            switch (e.getKey()) {
                case CPU -> milliCpu += Quantities.milli(e.getValue());
                case MEMORY -> memory += Quantities.value(e.getValue());
                case EPHEMERAL_STORAGE -> ephemeralStorage += Quantities.value(e.getValue());
                case PODS -> allowedPodNumber += Quantities.value(e.getValue());
                default -> {
                    if (isScalar(e.getKey())) addScalar(e.getKey(), Quantities.value(e.getValue()));
                }
            }
        }
    }

    /** Extended (domain-prefixed, not kubernetes.io/) resources, hugepages and attachable volumes. */
    public static boolean isScalar(String name) {
        if (name.startsWith("hugepages-") || name.startsWith("attachable-volumes-")) return true;
        int slash = name.indexOf('/');
        if (slash < 0) return false;
        return !name.startsWith("kubernetes.io/");
    }

    public void addScalar(String name, long v) {
        if (scalar == null) scalar = new HashMap<>(4);
        scalar.merge(name, v, Long::sum);
    }

    public long scalar(String name) {
        if (scalar == null) return 0;
        Long v = scalar.get(name);
        return v == null ? 0 : v;
    }

    public void add(Resource o) {
        milliCpu += o.milliCpu;
        memory += o.memory;
        ephemeralStorage += o.ephemeralStorage;
        allowedPodNumber += o.allowedPodNumber;
        if (o.scalar != null) o.scalar.forEach(this::addScalar);
    }

    public void subtract(Resource o) {
        milliCpu -= o.milliCpu;
        memory -= o.memory;
        ephemeralStorage -= o.ephemeralStorage;
        allowedPodNumber -= o.allowedPodNumber;
        if (o.scalar != null) o.scalar.forEach((k, v) -> addScalar(k, -v));
    }

    /** Keeps, per resource, the larger of this and {@code o}. */
    public void setMax(Resource o) {
        milliCpu = Math.max(milliCpu, o.milliCpu);
        memory = Math.max(memory, o.memory);
        ephemeralStorage = Math.max(ephemeralStorage, o.ephemeralStorage);
        allowedPodNumber = Math.max(allowedPodNumber, o.allowedPodNumber);
        if (o.scalar != null) {
            for (Map.Entry<String, Long> e : o.scalar.entrySet()) {
                if (scalar == null) scalar = new HashMap<>(4);
                scalar.merge(e.getKey(), e.getValue(), Math::max);
            }
        }
    }

    public long get(String name) {
        return switch (name) {
            case CPU -> milliCpu;
            case MEMORY -> memory;
            case EPHEMERAL_STORAGE -> ephemeralStorage;
            case PODS -> allowedPodNumber;
            default -> scalar(name);
        };
    }

    public Resource copy() {
        Resource r = new Resource();
        r.milliCpu = milliCpu;
        r.memory = memory;
        r.ephemeralStorage = ephemeralStorage;
        r.allowedPodNumber = allowedPodNumber;
        if (scalar != null) r.scalar = new HashMap<>(scalar);
        return r;
    }

    public boolean isZero() {
        if (milliCpu != 0 || memory != 0 || ephemeralStorage != 0) return false;
        if (scalar != null) for (long v : scalar.values()) if (v != 0) return false;
        return true;
    }

    @Override public String toString() {
        return "Resource{cpu=" + milliCpu + "m, memory=" + memory + ", ephemeral=" + ephemeralStorage + ", pods=" + allowedPodNumber + (scalar == null ? "" : ", " + scalar) + "}";
    }
}

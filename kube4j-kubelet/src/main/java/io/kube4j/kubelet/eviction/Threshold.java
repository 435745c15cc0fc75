package io.kube4j.kubelet.eviction;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * One hard threshold: the signal is under pressure when what is available falls below a quantity (e.g. 100Mi) or a
 * percentage of capacity (e.g. 10%).
 *
 * @param text the value as given ("100Mi", "10%"), for messages
 */
public record Threshold(Signal signal, long bytes, double percentage, String text) {

    static Threshold parse(String spec) {
        int lt = spec.indexOf('<');
        if (lt < 0) {
            throw new IllegalArgumentException("eviction threshold \"" + spec + "\" must look like signal<quantity, e.g. memory.available<100Mi");
        }
        Signal signal = Signal.byFlagName(spec.substring(0, lt).trim());
        String value = spec.substring(lt + 1).trim();
        if (value.endsWith("%")) {
            double pct;
            try {
                pct = Double.parseDouble(value.substring(0, value.length() - 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("eviction threshold \"" + spec + "\": \"" + value + "\" is not a percentage");
            }
            if (pct < 0 || pct > 100) {
                throw new IllegalArgumentException("eviction threshold \"" + spec + "\": a percentage must be between 0% and 100%");
            }
            return new Threshold(signal, 0, pct, value);
        }
        long bytes;
        try {
            bytes = Quantity.getAmountInBytes(new Quantity(value)).longValueExact();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("eviction threshold \"" + spec + "\": \"" + value + "\" is not a quantity such as 100Mi");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("eviction threshold \"" + spec + "\": a quantity must not be negative");
        }
        return new Threshold(signal, bytes, 0, value);
    }

    /** The threshold in bytes for a resource of this capacity. */
    public long bytesOf(long capacity) {
        return text.endsWith("%") ? (long) (capacity * percentage / 100.0) : bytes;
    }

    public boolean met(long available, long capacity) {
        return available < bytesOf(capacity);
    }
}

package io.kube4j.api.defaults;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two PriorityClasses every cluster has (upstream's {@code scheduling.SystemPriorityClasses}): the API server
 * creates them at start, validation reserves the {@code system-} prefix for exactly these, their deletion is
 * refused, and a pod naming one gets its value even before the object exists.
 */
public final class SystemPriorityClasses {

    /** A system class as upstream defines it. */
    public record SystemClass(String name, long value, String description) {
        /** The scheduling.k8s.io/v1 object the API server creates. */
        public ObjectNode toObject() {
            ObjectNode pc = JsonNodeFactory.instance.objectNode();
            pc.put("apiVersion", "scheduling.k8s.io/v1");
            pc.put("kind", "PriorityClass");
            pc.putObject("metadata").put("name", name);
            pc.put("value", value);
            pc.put("description", description);
            return pc;
        }
    }

    /** Upstream's SystemCriticalPriority: the value above every class a user may define. */
    public static final long SYSTEM_CRITICAL_PRIORITY = 2_000_000_000L;
    /** Upstream's HighestUserDefinablePriority. */
    public static final long HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000L;
    public static final String PREFIX = "system-";

    public static final List<SystemClass> ALL = List.of(
            new SystemClass("system-node-critical", SYSTEM_CRITICAL_PRIORITY + 1000,
                    "Used for system critical pods that must not be moved from their current node."),
            new SystemClass("system-cluster-critical", SYSTEM_CRITICAL_PRIORITY,
                    "Used for system critical pods that must run in the cluster, but can be moved to another node if "
                            + "necessary."));

    private SystemPriorityClasses() {
    }

    public static Optional<SystemClass> named(String name) {
        return ALL.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * Why {@code pc} (a PriorityClass named with the system prefix) is not one of the system classes, in upstream's
     * words ({@code IsKnownSystemPriorityClass}): another name, another value or a globalDefault; empty when it is.
     */
    public static Optional<String> whyUnknown(String name, JsonNode value, JsonNode globalDefault) {
        Optional<SystemClass> known = named(name);
        if (known.isEmpty()) {
            return Optional.of(name + " is not a known system priority class");
        }
        long given = value == null || !value.isIntegralNumber() ? 0 : value.asLong();
        if (given != known.get().value()) {
            return Optional.of("value of " + name + " PriorityClass must be " + known.get().value());
        }
        if (globalDefault != null && globalDefault.asBoolean(false)) {
            return Optional.of("globalDefault of " + name + " PriorityClass must be false");
        }
        return Optional.empty();
    }
}

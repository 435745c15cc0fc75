package io.kube4j.scheduler.plugins;

import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.kube4j.scheduler.config.ConfigException;
import io.kube4j.scheduler.framework.Handle;
import io.kube4j.scheduler.framework.Plugin;
import io.kube4j.scheduler.plugins.defaultbinder.DefaultBinder;
import io.kube4j.scheduler.plugins.defaultpreemption.DefaultPreemption;
import io.kube4j.scheduler.plugins.imagelocality.ImageLocality;
import io.kube4j.scheduler.plugins.interpodaffinity.InterPodAffinity;
import io.kube4j.scheduler.plugins.nodeaffinity.NodeAffinity;
import io.kube4j.scheduler.plugins.nodename.NodeName;
import io.kube4j.scheduler.plugins.nodeports.NodePorts;
import io.kube4j.scheduler.plugins.noderesources.NodeResourcesBalancedAllocation;
import io.kube4j.scheduler.plugins.noderesources.NodeResourcesFit;
import io.kube4j.scheduler.plugins.noderesources.ScoringStrategy;
import io.kube4j.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import io.kube4j.scheduler.plugins.podtopologyspread.PodTopologySpread;
import io.kube4j.scheduler.plugins.prioritysort.PrioritySort;
import io.kube4j.scheduler.plugins.tainttoleration.TaintToleration;
import io.kube4j.scheduler.plugins.volumebinding.VolumeBinding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The in-tree plugins by name, their factories, args validation and the default (multiPoint) set. */
public final class PluginRegistry {
    /** Creates a plugin for a profile from its args (plain YAML data, already validated). */
    @FunctionalInterface
    public interface Factory {
        Plugin create(Handle handle, Map<String, Object> args);
    }

    public record DefaultPlugin(String name, int weight) {}

    /** Upstream 1.32's default multiPoint plugins, in order, with score weights. */
    public static final List<DefaultPlugin> DEFAULTS = List.of(
            new DefaultPlugin(PrioritySort.NAME, 0),
            new DefaultPlugin(NodeUnschedulable.NAME, 0),
            new DefaultPlugin(NodeName.NAME, 0),
            new DefaultPlugin(TaintToleration.NAME, 3),
            new DefaultPlugin(NodeAffinity.NAME, 2),
            new DefaultPlugin(NodePorts.NAME, 0),
            new DefaultPlugin(NodeResourcesFit.NAME, 1),
            new DefaultPlugin(VolumeBinding.NAME, 0),
            new DefaultPlugin(PodTopologySpread.NAME, 2),
            new DefaultPlugin(InterPodAffinity.NAME, 2),
            new DefaultPlugin(DefaultPreemption.NAME, 0),
            new DefaultPlugin(NodeResourcesBalancedAllocation.NAME, 1),
            new DefaultPlugin(ImageLocality.NAME, 1),
            new DefaultPlugin(DefaultBinder.NAME, 0));

    /** Upstream plugins kube4j accepts in a config but does not implement (volume limits/zones, gates). */
    public static final Set<String> ACCEPTED_NOOP = Set.of("VolumeRestrictions", "NodeVolumeLimits", "VolumeZone",
            "SchedulingGates", "DynamicResources");

    private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put(PrioritySort.NAME, (h, a) -> new PrioritySort());
        FACTORIES.put(NodeUnschedulable.NAME, (h, a) -> new NodeUnschedulable());
        FACTORIES.put(NodeName.NAME, (h, a) -> new NodeName());
        FACTORIES.put(TaintToleration.NAME, (h, a) -> new TaintToleration());
        FACTORIES.put(NodeAffinity.NAME, (h, a) -> new NodeAffinity());
        FACTORIES.put(NodePorts.NAME, (h, a) -> new NodePorts());
        FACTORIES.put(NodeResourcesFit.NAME, (h, a) -> new NodeResourcesFit(scoringStrategy(a)));
        FACTORIES.put(NodeResourcesBalancedAllocation.NAME, (h, a) -> new NodeResourcesBalancedAllocation(resources(a.get("resources"), ScoringStrategy.DEFAULT_RESOURCES)));
        FACTORIES.put(PodTopologySpread.NAME, (h, a) -> new PodTopologySpread(h, defaultConstraints(a)));
        FACTORIES.put(InterPodAffinity.NAME, (h, a) -> new InterPodAffinity(h, ((Number) a.getOrDefault("hardPodAffinityWeight", 1)).longValue()));
        FACTORIES.put(ImageLocality.NAME, (h, a) -> new ImageLocality(h));
        FACTORIES.put(DefaultPreemption.NAME, (h, a) -> new DefaultPreemption(h,
                ((Number) a.getOrDefault("minCandidateNodesPercentage", 10)).intValue(),
                ((Number) a.getOrDefault("minCandidateNodesAbsolute", 100)).intValue()));
        FACTORIES.put(DefaultBinder.NAME, (h, a) -> new DefaultBinder(h));
        FACTORIES.put(VolumeBinding.NAME, (h, a) -> new VolumeBinding(h));
    }

    private PluginRegistry() {}

    public static boolean isKnown(String name) { return FACTORIES.containsKey(name) || ACCEPTED_NOOP.contains(name); }

    public static boolean isImplemented(String name) { return FACTORIES.containsKey(name); }

    /** Registers an out-of-tree plugin (tests, embedders). */
    public static synchronized void register(String name, Factory f) { FACTORIES.put(name, f); }

    public static Factory factory(String name) { return FACTORIES.get(name); }

    public static int defaultWeight(String name) {
        for (DefaultPlugin d : DEFAULTS) if (d.name().equals(name)) return d.weight();
        return 1;
    }

    // ---------------- args ----------------

    public static void validateArgs(String plugin, Map<String, Object> args, String p) {
        switch (plugin) {
            case NodeResourcesFit.NAME -> {
                allowOnly(args, p, "ignoredResources", "ignoredResourceGroups", "scoringStrategy");
                Object ss = args.get("scoringStrategy");
                if (ss != null) {
                    Map<String, Object> m = map(ss, p + ".scoringStrategy");
                    allowOnly(m, p + ".scoringStrategy", "type", "resources", "requestedToCapacityRatio");
                    Object type = m.getOrDefault("type", "LeastAllocated");
                    if (!"LeastAllocated".equals(type) && !"MostAllocated".equals(type)) {
                        throw new ConfigException(p + ".scoringStrategy.type: Unsupported value: \"" + type + "\": supported values: \"LeastAllocated\", \"MostAllocated\"");
                    }
                    validateResources(m.get("resources"), p + ".scoringStrategy.resources");
                }
            }
            case NodeResourcesBalancedAllocation.NAME -> {
                allowOnly(args, p, "resources");
                validateResources(args.get("resources"), p + ".resources");
            }
            case PodTopologySpread.NAME -> {
                allowOnly(args, p, "defaultConstraints", "defaultingType");
                Object dt = args.getOrDefault("defaultingType", "System");
                if (!"System".equals(dt) && !"List".equals(dt)) {
                    throw new ConfigException(p + ".defaultingType: Unsupported value: \"" + dt + "\": supported values: \"List\", \"System\"");
                }
                Object dc = args.get("defaultConstraints");
                if (dc != null) {
                    if ("System".equals(dt)) throw new ConfigException(p + ".defaultConstraints: Invalid value: when .defaultingType is \"System\" the constraints must be empty");
                    if (!(dc instanceof List<?> list)) throw new ConfigException(p + ".defaultConstraints: Invalid value: must be a list");
                    for (int i = 0; i < list.size(); i++) {
                        String fp = p + ".defaultConstraints[" + i + "]";
                        Map<String, Object> c = map(list.get(i), fp);
                        allowOnly(c, fp, "maxSkew", "topologyKey", "whenUnsatisfiable");
                        Object skew = c.get("maxSkew");
                        if (!(skew instanceof Integer s) || s <= 0) throw new ConfigException(fp + ".maxSkew: Invalid value: " + skew + ": must be greater than zero");
                        if (!(c.get("topologyKey") instanceof String k) || k.isEmpty()) throw new ConfigException(fp + ".topologyKey: Required value");
                        Object w = c.get("whenUnsatisfiable");
                        if (!"DoNotSchedule".equals(w) && !"ScheduleAnyway".equals(w)) {
                            throw new ConfigException(fp + ".whenUnsatisfiable: Unsupported value: \"" + w + "\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"");
                        }
                    }
                }
            }
            case InterPodAffinity.NAME -> {
                allowOnly(args, p, "hardPodAffinityWeight", "ignorePreferredTermsOfExistingPods");
                intInRange(args, "hardPodAffinityWeight", 0, 100, p);
            }
            case VolumeBinding.NAME -> allowOnly(args, p, "bindTimeoutSeconds", "shape");
            case DefaultPreemption.NAME -> {
                allowOnly(args, p, "minCandidateNodesPercentage", "minCandidateNodesAbsolute");
                intInRange(args, "minCandidateNodesPercentage", 0, 100, p);
                intInRange(args, "minCandidateNodesAbsolute", 0, Integer.MAX_VALUE, p);
            }
            default -> {
                if (!args.isEmpty() && isImplemented(plugin)) {
                    String k = args.keySet().iterator().next();
                    throw new ConfigException(p + "." + k + ": unknown field \"" + k + "\"");
                }
            }
        }
    }

    private static void intInRange(Map<String, Object> args, String field, int min, int max, String p) {
        Object v = args.get(field);
        if (v == null) return;
        if (!(v instanceof Integer i) || i < min || i > max) {
            throw new ConfigException(p + "." + field + ": Invalid value: " + v + ": not in valid range [" + min + "-" + (max == Integer.MAX_VALUE ? "" : max) + "]");
        }
    }

    private static void validateResources(Object o, String p) {
        if (o == null) return;
        if (!(o instanceof List<?> list)) throw new ConfigException(p + ": Invalid value: must be a list");
        for (int i = 0; i < list.size(); i++) {
            String fp = p + "[" + i + "]";
            Map<String, Object> r = map(list.get(i), fp);
            allowOnly(r, fp, "name", "weight");
            if (!(r.get("name") instanceof String n) || n.isEmpty()) throw new ConfigException(fp + ".name: Required value");
            Object w = r.getOrDefault("weight", 1);
            if (!(w instanceof Integer wi) || wi < 1 || wi > 100) throw new ConfigException(fp + ".weight: Invalid value: " + w + ": resource weight of " + r.get("name") + " not in valid range [1, 100]");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String p) {
        if (!(o instanceof Map<?, ?> m)) throw new ConfigException(p + ": Invalid value: must be a mapping");
        return (Map<String, Object>) m;
    }

    private static void allowOnly(Map<String, Object> m, String p, String... fields) {
        Set<String> allowed = Set.of(fields);
        for (String k : m.keySet()) if (!allowed.contains(k)) throw new ConfigException(p + "." + k + ": unknown field \"" + k + "\"");
    }

    static ScoringStrategy scoringStrategy(Map<String, Object> args) {
        Object ss = args.get("scoringStrategy");
        if (ss == null) return ScoringStrategy.leastAllocated();
        Map<String, Object> m = map(ss, "scoringStrategy");
        ScoringStrategy.Type type = ScoringStrategy.Type.valueOf(String.valueOf(m.getOrDefault("type", "LeastAllocated")));
        return new ScoringStrategy(type, resources(m.get("resources"), ScoringStrategy.DEFAULT_RESOURCES));
    }

    static List<ScoringStrategy.ResourceWeight> resources(Object o, List<ScoringStrategy.ResourceWeight> def) {
        if (o == null) return def;
        List<ScoringStrategy.ResourceWeight> out = new ArrayList<>();
        for (Object e : (List<?>) o) {
            Map<String, Object> r = map(e, "resources");
            out.add(new ScoringStrategy.ResourceWeight((String) r.get("name"), ((Number) r.getOrDefault("weight", 1)).longValue()));
        }
        return List.copyOf(out);
    }

    static List<TopologySpreadConstraint> defaultConstraints(Map<String, Object> args) {
        if (!"List".equals(args.getOrDefault("defaultingType", "System"))) return PodTopologySpread.SYSTEM_DEFAULTS;
        List<TopologySpreadConstraint> out = new ArrayList<>();
        Object dc = args.get("defaultConstraints");
        if (dc == null) return out;
        for (Object e : (List<?>) dc) {
            Map<String, Object> c = map(e, "defaultConstraints");
            TopologySpreadConstraint t = new TopologySpreadConstraint();
            t.setMaxSkew((Integer) c.get("maxSkew"));
            t.setTopologyKey((String) c.get("topologyKey"));
            t.setWhenUnsatisfiable((String) c.get("whenUnsatisfiable"));
            out.add(t);
        }
        return out;
    }
}

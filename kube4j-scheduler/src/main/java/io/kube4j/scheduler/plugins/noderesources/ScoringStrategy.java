package io.kube4j.scheduler.plugins.noderesources;

import java.util.List;

/** NodeResourcesFitArgs.scoringStrategy: the type and the resources (with weights) it looks at. */
public record ScoringStrategy(Type type, List<ResourceWeight> resources) {
    public enum Type { LeastAllocated, MostAllocated }

    public record ResourceWeight(String name, long weight) {}

    public static final List<ResourceWeight> DEFAULT_RESOURCES = List.of(new ResourceWeight("cpu", 1), new ResourceWeight("memory", 1));

    public static ScoringStrategy leastAllocated() { return new ScoringStrategy(Type.LeastAllocated, DEFAULT_RESOURCES); }
    public static ScoringStrategy mostAllocated() { return new ScoringStrategy(Type.MostAllocated, DEFAULT_RESOURCES); }
}

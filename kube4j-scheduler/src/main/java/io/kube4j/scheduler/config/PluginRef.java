package io.kube4j.scheduler.config;

/** An enabled plugin; weight 0 means "not set" (score plugins then keep their default weight). */
public record PluginRef(String name, int weight) {}

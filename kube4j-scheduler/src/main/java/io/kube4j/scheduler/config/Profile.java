package io.kube4j.scheduler.config;

import java.util.Map;

/**
 * One KubeSchedulerProfile. {@code plugins} maps an extension point name (multiPoint, queueSort, preFilter,
 * filter, postFilter, preScore, score, reserve, permit, preBind, bind, postBind) to its set;
 * {@code pluginConfig} maps a plugin name to its args as plain YAML data.
 */
public record Profile(String schedulerName, Integer percentageOfNodesToScore, Map<String, PluginSet> plugins,
                      Map<String, Map<String, Object>> pluginConfig) {
    public PluginSet pluginSet(String point) { return plugins.getOrDefault(point, PluginSet.EMPTY); }
}

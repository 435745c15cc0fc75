package io.kube4j.scheduler.config;

import java.util.List;

/** Enabled and disabled plugins of one extension point; "*" in disabled turns off every default plugin there. */
public record PluginSet(List<PluginRef> enabled, List<String> disabled) {
    public static final PluginSet EMPTY = new PluginSet(List.of(), List.of());
}

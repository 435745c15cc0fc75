package io.kube4j.scheduler.profile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.scheduler.config.ConfigException;
import io.kube4j.scheduler.config.PluginRef;
import io.kube4j.scheduler.config.PluginSet;
import io.kube4j.scheduler.config.Profile;
import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.Plugin;
import io.kube4j.scheduler.framework.runtime.ClusterListers;
import io.kube4j.scheduler.framework.runtime.FrameworkImpl;
import io.kube4j.scheduler.framework.runtime.FrameworkImpl.Point;
import io.kube4j.scheduler.plugins.PluginRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a profile into a framework as upstream: the default multiPoint plugins, adjusted by the profile's
 * multiPoint set, then per-extension-point disables ("*" for all) and enables with score weights.
 */
public final class ProfileBuilder {
    private static final Map<String, Point> POINTS = new LinkedHashMap<>();

    static {
        POINTS.put("queueSort", Point.QUEUE_SORT);
        POINTS.put("preFilter", Point.PRE_FILTER);
        POINTS.put("filter", Point.FILTER);
        POINTS.put("postFilter", Point.POST_FILTER);
        POINTS.put("preScore", Point.PRE_SCORE);
        POINTS.put("score", Point.SCORE);
        POINTS.put("reserve", Point.RESERVE);
        POINTS.put("permit", Point.PERMIT);
        POINTS.put("preBind", Point.PRE_BIND);
        POINTS.put("bind", Point.BIND);
        POINTS.put("postBind", Point.POST_BIND);
    }

    private ProfileBuilder() {}

    public static FrameworkImpl build(Profile profile, Parallelizer parallelizer, KubernetesClient client, ClusterListers listers) {
        FrameworkImpl fw = new FrameworkImpl(profile.schedulerName(), parallelizer, client, listers);
        PluginSet multi = profile.pluginSet("multiPoint");
        List<PluginRef> multiPoint = new ArrayList<>();
        if (!multi.disabled().contains("*")) {
            for (PluginRegistry.DefaultPlugin d : PluginRegistry.DEFAULTS) {
                if (!multi.disabled().contains(d.name())) multiPoint.add(new PluginRef(d.name(), d.weight()));
            }
        }
        for (PluginRef r : multi.enabled()) {
            multiPoint.removeIf(x -> x.name().equals(r.name()));
            multiPoint.add(new PluginRef(r.name(), r.weight() == 0 ? PluginRegistry.defaultWeight(r.name()) : r.weight()));
        }
        for (PluginRef r : multiPoint) {
            Plugin p = instance(fw, profile, r.name());
            if (p != null) fw.add(p, r.weight());
        }
        for (Map.Entry<String, Point> e : POINTS.entrySet()) {
            PluginSet set = profile.pluginSet(e.getKey());
            for (String d : set.disabled()) {
                if ("*".equals(d)) {
                    for (String name : fw.listPlugins().get(e.getKey())) fw.disable(e.getValue(), name.split("=")[0]);
                } else {
                    fw.disable(e.getValue(), d);
                }
            }
            for (PluginRef r : set.enabled()) {
                Plugin p = instance(fw, profile, r.name());
                if (p == null) continue;
                if (!FrameworkImpl.implementsPoint(p, e.getValue())) {
                    throw new ConfigException("profiles[" + profile.schedulerName() + "].plugins." + e.getKey() + ": plugin \"" + r.name() + "\" does not extend " + e.getKey() + " plugin");
                }
                fw.enable(e.getValue(), p, r.weight() == 0 ? PluginRegistry.defaultWeight(r.name()) : r.weight());
            }
        }
        if (fw.queueSort() == null) throw new ConfigException("profiles[" + profile.schedulerName() + "].plugins.queueSort: Required value: one queue sort plugin is required");
        if (fw.listPlugins().get("bind").isEmpty()) throw new ConfigException("profiles[" + profile.schedulerName() + "].plugins.bind: Required value: at least one bind plugin is required");
        return fw;
    }

    private static Plugin instance(FrameworkImpl fw, Profile profile, String name) {
        PluginRegistry.Factory f = PluginRegistry.factory(name);
        if (f == null) return null; // accepted upstream plugin that kube4j does not implement
        Map<String, Object> args = profile.pluginConfig().getOrDefault(name, Map.of());
        return fw.instance(name, h -> f.create(h, args));
    }
}

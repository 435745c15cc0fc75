package io.kube4j.scheduler.config;

import io.kube4j.scheduler.plugins.PluginRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a KubeSchedulerConfiguration file strictly: unknown fields, unknown plugins, bad weights and bad
 * values fail with a {@link ConfigException} naming the field, as upstream's strict decoding and validation.
 */
public final class ConfigLoader {
    public static final String API_VERSION = "kubescheduler.config.k8s.io/v1";
    static final Set<String> POINTS = Set.of("multiPoint", "preEnqueue", "queueSort", "preFilter", "filter", "postFilter",
            "preScore", "score", "reserve", "permit", "preBind", "bind", "postBind");

    private ConfigLoader() {}

    public static SchedulerConfiguration load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read scheduler config " + file + ": " + e.getMessage());
        }
        return parse(text);
    }

    public static SchedulerConfiguration parse(String yaml) {
        Object root;
        try {
            root = YAMLMapper.builder().build().readValue(yaml, Object.class);
        } catch (JacksonException e) {
            String msg = e.getOriginalMessage() == null ? String.valueOf(e.getMessage()) : e.getOriginalMessage();
            String loc = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ConfigException("invalid YAML in scheduler config" + loc + ": " + msg.lines().findFirst().orElse(msg));
        }
        if (!(root instanceof Map<?, ?> m)) throw new ConfigException("scheduler config must be a YAML mapping");
        return fromMap(cast(m), "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) { return (Map<String, Object>) m; }

    private static SchedulerConfiguration fromMap(Map<String, Object> m, String p) {
        allowOnly(m, p, "apiVersion", "kind", "parallelism", "percentageOfNodesToScore", "podInitialBackoffSeconds",
                "podMaxBackoffSeconds", "leaderElection", "profiles", "clientConnection", "extenders",
                "delayCacheUntilActive", "enableProfiling", "enableContentionProfiling", "healthzBindAddress", "metricsBindAddress");
        Object apiVersion = m.get("apiVersion");
        if (!API_VERSION.equals(apiVersion)) {
            throw new ConfigException("apiVersion: Unsupported value: \"" + apiVersion + "\": supported values: \"" + API_VERSION + "\"");
        }
        if (!"KubeSchedulerConfiguration".equals(m.get("kind"))) {
            throw new ConfigException("kind: Unsupported value: \"" + m.get("kind") + "\": supported values: \"KubeSchedulerConfiguration\"");
        }
        SchedulerConfiguration d = SchedulerConfiguration.defaults();
        int parallelism = intField(m, "parallelism", d.parallelism());
        if (parallelism <= 0) throw new ConfigException("parallelism: Invalid value: " + parallelism + ": should be an integer value greater than zero");
        int pct = percentage(m, "percentageOfNodesToScore", 0);
        long initial = intField(m, "podInitialBackoffSeconds", 1);
        long max = intField(m, "podMaxBackoffSeconds", 10);
        if (initial <= 0) throw new ConfigException("podInitialBackoffSeconds: Invalid value: " + initial + ": must be greater than 0");
        if (max < initial) throw new ConfigException("podMaxBackoffSeconds: Invalid value: " + max + ": must be greater than or equal to PodInitialBackoffSeconds");
        SchedulerConfiguration.LeaderElection le = leaderElection(m.get("leaderElection"));
        List<Profile> profiles = new ArrayList<>();
        Object ps = m.get("profiles");
        if (ps == null) {
            profiles.addAll(d.profiles());
        } else {
            if (!(ps instanceof List<?> list)) throw new ConfigException("profiles: Invalid value: must be a list");
            Set<String> names = new HashSet<>();
            String queueSort = null;
            for (int i = 0; i < list.size(); i++) {
                String fp = "profiles[" + i + "]";
                if (!(list.get(i) instanceof Map<?, ?> pm)) throw new ConfigException(fp + ": Invalid value: must be a mapping");
                Profile prof = profile(cast(pm), fp);
                if (!names.add(prof.schedulerName())) throw new ConfigException(fp + ".schedulerName: Duplicate value: \"" + prof.schedulerName() + "\"");
                String qs = effectiveQueueSort(prof);
                if (queueSort != null && !queueSort.equals(qs)) {
                    throw new ConfigException(fp + ".plugins.queueSort: Invalid value: \"" + qs + "\": queueSort must be the same for all profiles");
                }
                queueSort = qs;
                profiles.add(prof);
            }
            if (profiles.isEmpty()) throw new ConfigException("profiles: Required value: at least one profile is required");
        }
        return new SchedulerConfiguration(parallelism, pct, Duration.ofSeconds(initial), Duration.ofSeconds(max), le, profiles);
    }

    private static String effectiveQueueSort(Profile p) {
        PluginSet qs = p.pluginSet("queueSort");
        if (!qs.enabled().isEmpty()) return qs.enabled().get(qs.enabled().size() - 1).name();
        return "PrioritySort";
    }

    private static SchedulerConfiguration.LeaderElection leaderElection(Object o) {
        SchedulerConfiguration.LeaderElection d = SchedulerConfiguration.LeaderElection.defaults();
        if (o == null) return d;
        if (!(o instanceof Map<?, ?> mm)) throw new ConfigException("leaderElection: Invalid value: must be a mapping");
        Map<String, Object> m = cast(mm);
        allowOnly(m, "leaderElection.", "leaderElect", "leaseDuration", "renewDeadline", "retryPeriod", "resourceLock", "resourceName", "resourceNamespace");
        Object le = m.getOrDefault("leaderElect", d.leaderElect());
        if (!(le instanceof Boolean b)) throw new ConfigException("leaderElection.leaderElect: Invalid value: \"" + le + "\": must be true or false");
        Object lock = m.get("resourceLock");
        if (lock != null && !"leases".equals(lock)) throw new ConfigException("leaderElection.resourceLock: Unsupported value: \"" + lock + "\": supported values: \"leases\"");
        Duration lease = duration(m, "leaderElection.", "leaseDuration", d.leaseDuration());
        Duration renew = duration(m, "leaderElection.", "renewDeadline", d.renewDeadline());
        Duration retry = duration(m, "leaderElection.", "retryPeriod", d.retryPeriod());
        if (renew.compareTo(lease) >= 0) throw new ConfigException("leaderElection.renewDeadline: Invalid value: \"" + m.get("renewDeadline") + "\": must be less than leaseDuration");
        return new SchedulerConfiguration.LeaderElection(b, lease, renew, retry,
                String.valueOf(m.getOrDefault("resourceName", d.resourceName())), String.valueOf(m.getOrDefault("resourceNamespace", d.resourceNamespace())));
    }

    /** Go durations as upstream writes them: 15s, 500ms, 1m30s. */
    static Duration duration(Map<String, Object> m, String prefix, String field, Duration def) {
        Object v = m.get(field);
        if (v == null) return def;
        String s = String.valueOf(v).trim();
        java.util.regex.Matcher mt = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(s);
        long millis = 0;
        int end = 0;
        while (mt.find() && mt.start() == end) {
            double n = Double.parseDouble(mt.group(1));
            millis += (long) (n * switch (mt.group(2)) { case "ms" -> 1; case "s" -> 1000; case "m" -> 60000; default -> 3600000; });
            end = mt.end();
        }
        if (end == 0 || end != s.length() || millis <= 0) {
            throw new ConfigException(prefix + field + ": Invalid value: \"" + s + "\": must be a positive duration such as 15s");
        }
        return Duration.ofMillis(millis);
    }

    private static Profile profile(Map<String, Object> m, String p) {
        allowOnly(m, p + ".", "schedulerName", "percentageOfNodesToScore", "plugins", "pluginConfig");
        Object name = m.get("schedulerName");
        if (name == null) name = SchedulerConfiguration.DEFAULT_SCHEDULER_NAME;
        if (!(name instanceof String s) || s.isEmpty()) throw new ConfigException(p + ".schedulerName: Required value");
        Integer pct = m.containsKey("percentageOfNodesToScore") ? percentage(m, "percentageOfNodesToScore", 0, p + ".") : null;
        Map<String, PluginSet> plugins = new LinkedHashMap<>();
        Object pl = m.get("plugins");
        if (pl != null) {
            if (!(pl instanceof Map<?, ?> pm)) throw new ConfigException(p + ".plugins: Invalid value: must be a mapping");
            for (Map.Entry<String, Object> e : cast(pm).entrySet()) {
                String fp = p + ".plugins." + e.getKey();
                if (!POINTS.contains(e.getKey())) throw new ConfigException(fp + ": unknown field \"" + e.getKey() + "\"");
                plugins.put(e.getKey(), pluginSet(e.getValue(), fp, e.getKey()));
            }
        }
        Map<String, Map<String, Object>> pluginConfig = new LinkedHashMap<>();
        Object pc = m.get("pluginConfig");
        if (pc != null) {
            if (!(pc instanceof List<?> list)) throw new ConfigException(p + ".pluginConfig: Invalid value: must be a list");
            for (int i = 0; i < list.size(); i++) {
                String fp = p + ".pluginConfig[" + i + "]";
                if (!(list.get(i) instanceof Map<?, ?> em)) throw new ConfigException(fp + ": Invalid value: must be a mapping");
                Map<String, Object> entry = cast(em);
                allowOnly(entry, fp + ".", "name", "args");
                Object pn = entry.get("name");
                if (!(pn instanceof String pname) || !PluginRegistry.isKnown(pname)) {
                    throw new ConfigException(fp + ".name: Invalid value: \"" + pn + "\": unknown plugin");
                }
                if (pluginConfig.containsKey(pname)) throw new ConfigException(fp + ".name: Duplicate value: \"" + pname + "\"");
                Object args = entry.getOrDefault("args", Map.of());
                if (!(args instanceof Map<?, ?> am)) throw new ConfigException(fp + ".args: Invalid value: must be a mapping");
                PluginRegistry.validateArgs(pname, cast(am), fp + ".args");
                pluginConfig.put(pname, cast(am));
            }
        }
        return new Profile((String) name, pct, plugins, pluginConfig);
    }

    private static PluginSet pluginSet(Object o, String p, String point) {
        if (o == null) return PluginSet.EMPTY;
        if (!(o instanceof Map<?, ?> mm)) throw new ConfigException(p + ": Invalid value: must be a mapping");
        Map<String, Object> m = cast(mm);
        allowOnly(m, p + ".", "enabled", "disabled");
        List<PluginRef> enabled = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        for (String which : List.of("enabled", "disabled")) {
            Object lo = m.get(which);
            if (lo == null) continue;
            if (!(lo instanceof List<?> list)) throw new ConfigException(p + "." + which + ": Invalid value: must be a list");
            for (int i = 0; i < list.size(); i++) {
                String fp = p + "." + which + "[" + i + "]";
                if (!(list.get(i) instanceof Map<?, ?> em)) throw new ConfigException(fp + ": Invalid value: must be a mapping");
                Map<String, Object> e = cast(em);
                allowOnly(e, fp + ".", "name", "weight");
                Object n = e.get("name");
                if (!(n instanceof String name) || name.isEmpty()) throw new ConfigException(fp + ".name: Required value");
                boolean wildcard = "disabled".equals(which) && "*".equals(name);
                if (!wildcard && !PluginRegistry.isKnown(name)) throw new ConfigException(fp + ".name: Invalid value: \"" + name + "\": unknown plugin");
                if ("enabled".equals(which)) {
                    int weight = 0;
                    if (e.containsKey("weight")) {
                        Object w = e.get("weight");
                        if (!(w instanceof Integer wi)) throw new ConfigException(fp + ".weight: Invalid value: \"" + w + "\": must be an integer");
                        if (wi < 0 || wi > 100) throw new ConfigException(fp + ".weight: Invalid value: " + wi + ": must be in the range [0, 100]");
                        if (!"score".equals(point) && !"multiPoint".equals(point) && wi != 0) {
                            throw new ConfigException(fp + ".weight: Invalid value: " + wi + ": weight applies only to score plugins");
                        }
                        weight = wi;
                    }
                    enabled.add(new PluginRef(name, weight));
                } else {
                    disabled.add(name);
                }
            }
        }
        return new PluginSet(List.copyOf(enabled), List.copyOf(disabled));
    }

    private static void allowOnly(Map<String, Object> m, String prefix, String... fields) {
        Set<String> allowed = Set.of(fields);
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) throw new ConfigException(prefix + k + ": unknown field \"" + k + "\"");
        }
    }

    private static int intField(Map<String, Object> m, String field, int def) {
        Object v = m.get(field);
        if (v == null) return def;
        if (!(v instanceof Integer i)) throw new ConfigException(field + ": Invalid value: \"" + v + "\": must be an integer");
        return i;
    }

    private static int percentage(Map<String, Object> m, String field, int def) { return percentage(m, field, def, ""); }

    private static int percentage(Map<String, Object> m, String field, int def, String prefix) {
        Object v = m.get(field);
        if (v == null) return def;
        if (!(v instanceof Integer i)) throw new ConfigException(prefix + field + ": Invalid value: \"" + v + "\": must be an integer");
        if (i < 0 || i > 100) throw new ConfigException(prefix + field + ": Invalid value: " + i + ": not in valid range [0-100]");
        return i;
    }
}

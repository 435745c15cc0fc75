package io.kube4j.scheduler.framework.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.scheduler.framework.BindPlugin;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.EnqueueExtensions;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.Handle;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.PermitPlugin;
import io.kube4j.scheduler.framework.Plugin;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PostBindPlugin;
import io.kube4j.scheduler.framework.PostFilterPlugin;
import io.kube4j.scheduler.framework.PostFilterResult;
import io.kube4j.scheduler.framework.PreBindPlugin;
import io.kube4j.scheduler.framework.PreFilterExtensions;
import io.kube4j.scheduler.framework.PreFilterPlugin;
import io.kube4j.scheduler.framework.PreScorePlugin;
import io.kube4j.scheduler.framework.QueueSortPlugin;
import io.kube4j.scheduler.framework.ReservePlugin;
import io.kube4j.scheduler.framework.ScorePlugin;
import io.kube4j.scheduler.framework.Snapshot;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.framework.WaitingPods;
import io.kube4j.scheduler.util.Selector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Runs one profile's plugins at each extension point; also the {@link Handle} given to those plugins. */
public final class FrameworkImpl implements Framework, Handle {
    /** The extension points a plugin can be enabled at. */
    public enum Point { QUEUE_SORT, PRE_FILTER, FILTER, POST_FILTER, PRE_SCORE, SCORE, RESERVE, PERMIT, PRE_BIND, BIND, POST_BIND }

    private final String profileName;
    private final Parallelizer parallelizer;
    private final KubernetesClient client;
    private final ClusterListers listers;
    private volatile Snapshot snapshot = new Snapshot(List.of());
    private final WaitingPods waitingPods = new WaitingPods();

    private QueueSortPlugin queueSort;
    private final List<PreFilterPlugin> preFilter = new ArrayList<>();
    private final List<FilterPlugin> filter = new ArrayList<>();
    private final List<PostFilterPlugin> postFilter = new ArrayList<>();
    private final List<PreScorePlugin> preScore = new ArrayList<>();
    private final List<ScorePlugin> score = new ArrayList<>();
    private final List<Long> scoreWeights = new ArrayList<>();
    private final List<ReservePlugin> reserve = new ArrayList<>();
    private final List<PermitPlugin> permit = new ArrayList<>();
    private final List<PreBindPlugin> preBind = new ArrayList<>();
    private final List<BindPlugin> bind = new ArrayList<>();
    private final List<PostBindPlugin> postBind = new ArrayList<>();
    private final Map<String, Plugin> instances = new LinkedHashMap<>();

    public FrameworkImpl(String profileName, Parallelizer parallelizer, KubernetesClient client, ClusterListers listers) {
        this.profileName = profileName;
        this.parallelizer = parallelizer;
        this.client = client;
        this.listers = listers == null ? ClusterListers.EMPTY : listers;
    }

    /** Creates (once per profile) the named plugin with the factory and returns it. */
    public Plugin instance(String name, Function<Handle, Plugin> factory) {
        return instances.computeIfAbsent(name, n -> factory.apply(this));
    }

    /** Enables a plugin at every extension point it implements (upstream's multiPoint). */
    public FrameworkImpl add(Plugin p, long scoreWeight) {
        for (Point point : Point.values()) {
            if (implementsPoint(p, point)) enable(point, p, scoreWeight);
        }
        return this;
    }

    public FrameworkImpl add(Plugin p) { return add(p, 1); }

    public static boolean implementsPoint(Plugin p, Point point) {
        return switch (point) {
            case QUEUE_SORT -> p instanceof QueueSortPlugin;
            case PRE_FILTER -> p instanceof PreFilterPlugin;
            case FILTER -> p instanceof FilterPlugin;
            case POST_FILTER -> p instanceof PostFilterPlugin;
            case PRE_SCORE -> p instanceof PreScorePlugin;
            case SCORE -> p instanceof ScorePlugin;
            case RESERVE -> p instanceof ReservePlugin;
            case PERMIT -> p instanceof PermitPlugin;
            case PRE_BIND -> p instanceof PreBindPlugin;
            case BIND -> p instanceof BindPlugin;
            case POST_BIND -> p instanceof PostBindPlugin;
        };
    }

    public void enable(Point point, Plugin p, long scoreWeight) {
        if (!implementsPoint(p, point)) {
            throw new IllegalArgumentException("plugin " + p.name() + " does not extend " + point);
        }
        instances.putIfAbsent(p.name(), p);
        switch (point) {
            case QUEUE_SORT -> queueSort = (QueueSortPlugin) p;
            case PRE_FILTER -> addOnce(preFilter, (PreFilterPlugin) p);
            case FILTER -> addOnce(filter, (FilterPlugin) p);
            case POST_FILTER -> addOnce(postFilter, (PostFilterPlugin) p);
            case PRE_SCORE -> addOnce(preScore, (PreScorePlugin) p);
            case SCORE -> {
                int i = score.indexOf(p);
                long w = scoreWeight <= 0 ? 1 : scoreWeight;
                if (i >= 0) scoreWeights.set(i, w);
                else { score.add((ScorePlugin) p); scoreWeights.add(w); }
            }
            case RESERVE -> addOnce(reserve, (ReservePlugin) p);
            case PERMIT -> addOnce(permit, (PermitPlugin) p);
            case PRE_BIND -> addOnce(preBind, (PreBindPlugin) p);
            case BIND -> addOnce(bind, (BindPlugin) p);
            case POST_BIND -> addOnce(postBind, (PostBindPlugin) p);
        }
    }

    private static <T> void addOnce(List<T> list, T p) {
        if (!list.contains(p)) list.add(p);
    }

    // ---- Handle ----

    @Override public Snapshot snapshot() { return snapshot; }
    @Override public Parallelizer parallelizer() { return parallelizer; }
    @Override public KubernetesClient client() { return client; }
    @Override public Framework framework() { return this; }
    @Override public Map<String, String> namespaceLabels(String namespace) { return listers.namespaceLabels(namespace); }
    @Override public List<Selector> ownerSelectors(Pod pod) { return listers.ownerSelectors(pod); }
    @Override public List<DisruptionBudget> disruptionBudgets() { return listers.disruptionBudgets(); }
    @Override public io.fabric8.kubernetes.api.model.PersistentVolumeClaim pvc(String ns, String name) { return listers.pvc(ns, name); }
    @Override public List<io.fabric8.kubernetes.api.model.PersistentVolume> persistentVolumes() { return listers.persistentVolumes(); }
    @Override public void onClaimChange(Runnable listener) { listers.onClaimChange(listener); }
    @Override public io.fabric8.kubernetes.api.model.storage.StorageClass storageClass(String name) { return listers.storageClass(name); }

    // ---- Framework ----

    @Override public String profileName() { return profileName; }
    @Override public QueueSortPlugin queueSort() { return queueSort; }
    @Override public void setSnapshot(Snapshot s) { snapshot = s; }

    @Override
    public Status runPreFilterPlugins(CycleState state, PodInfo pod) {
        for (PreFilterPlugin p : preFilter) {
            Status s;
            try {
                s = p.preFilter(state, pod);
            } catch (RuntimeException e) {
                s = Status.error(e);
            }
            if (s.isSkip()) {
                state.skipFilterPlugins().add(p.name());
                continue;
            }
            if (!s.isSuccess()) return s.withPlugin(p.name());
        }
        state.setFilterPlan(filterPlan(state));
        return Status.success();
    }

    private CycleState.FilterPlan filterPlan(CycleState state) {
        List<FilterPlugin> active = new ArrayList<>(filter.size());
        for (FilterPlugin p : filter) if (!state.skipFilterPlugins().contains(p.name())) active.add(p);
        return new CycleState.FilterPlan(this, state.skipFilterPlugins().size(), active.toArray(new FilterPlugin[0]));
    }

    @Override
    public Status runFilterPlugins(CycleState state, PodInfo pod, NodeInfo node) {
        CycleState.FilterPlan plan = state.filterPlan(this);
        if (plan == null) {
            // A state that did not go through PreFilter here (tests, callers of Filter alone): plan it now.
            plan = filterPlan(state);
            state.setFilterPlan(plan);
        }
        for (FilterPlugin p : plan.plugins()) {
            Status s;
            try {
                s = p.filter(state, pod, node);
            } catch (RuntimeException e) {
                s = Status.error(e);
            }
            if (!s.isSuccess()) return s.withPlugin(p.name());
        }
        return Status.success();
    }

    @Override
    public Status runPreFilterExtensionAddPod(CycleState state, PodInfo pod, PodInfo toAdd, NodeInfo node) {
        for (PreFilterPlugin p : preFilter) {
            PreFilterExtensions ext = p.preFilterExtensions();
            if (ext == null || state.skipFilterPlugins().contains(p.name())) continue;
            Status s = ext.addPod(state, pod, toAdd, node);
            if (!s.isSuccess()) return s.withPlugin(p.name());
        }
        return Status.success();
    }

    @Override
    public Status runPreFilterExtensionRemovePod(CycleState state, PodInfo pod, PodInfo toRemove, NodeInfo node) {
        for (PreFilterPlugin p : preFilter) {
            PreFilterExtensions ext = p.preFilterExtensions();
            if (ext == null || state.skipFilterPlugins().contains(p.name())) continue;
            Status s = ext.removePod(state, pod, toRemove, node);
            if (!s.isSuccess()) return s.withPlugin(p.name());
        }
        return Status.success();
    }

    @Override public boolean hasPostFilterPlugins() { return !postFilter.isEmpty(); }

    @Override
    public PostFilterResult runPostFilterPlugins(CycleState state, PodInfo pod, Map<String, Status> filteredNodeStatus) {
        PostFilterResult last = PostFilterResult.of(Status.unschedulable());
        for (PostFilterPlugin p : postFilter) {
            PostFilterResult r;
            try {
                r = p.postFilter(state, pod, filteredNodeStatus);
            } catch (RuntimeException e) {
                return PostFilterResult.of(Status.error(e).withPlugin(p.name()));
            }
            if (r.status().isSuccess()) return r;
            if (r.status().code() == Code.ERROR) return new PostFilterResult(null, r.status().withPlugin(p.name()));
            last = new PostFilterResult(r.nominatedNodeName(), r.status().withPlugin(p.name()));
        }
        return last;
    }

    @Override public boolean hasScorePlugins() { return !score.isEmpty(); }

    @Override
    public Status runPreScorePlugins(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        for (PreScorePlugin p : preScore) {
            Status s;
            try {
                s = p.preScore(state, pod, nodes);
            } catch (RuntimeException e) {
                s = Status.error(e);
            }
            if (s.isSkip()) {
                state.skipScorePlugins().add(p.name());
                continue;
            }
            if (!s.isSuccess()) return s.withPlugin(p.name());
        }
        return Status.success();
    }

    @Override
    public long[] runScorePlugins(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        int n = nodes.size();
        long[] total = new long[n];
        List<ScorePlugin> active = new ArrayList<>(score.size());
        List<Long> weights = new ArrayList<>(score.size());
        for (int pi = 0; pi < score.size(); pi++) {
            if (state.skipScorePlugins().contains(score.get(pi).name())) continue;
            active.add(score.get(pi));
            weights.add(scoreWeights.get(pi));
        }
        int k = active.size();
        // As upstream: one parallel pass over the nodes runs every plugin on a node, so a cycle hands work to the
        // pool once instead of once per plugin, and each node's data is read while it is still in cache.
        long[][] byPlugin = new long[k][n];
        parallelizer.until(n, i -> {
            NodeInfo node = nodes.get(i);
            for (int pi = 0; pi < k; pi++) byPlugin[pi][i] = active.get(pi).score(state, pod, node);
        });
        for (int pi = 0; pi < k; pi++) {
            ScorePlugin p = active.get(pi);
            long[] scores = byPlugin[pi];
            if (p.hasNormalize()) {
                Status s = p.normalizeScore(state, pod, nodes, scores);
                if (!s.isSuccess()) throw new IllegalStateException("normalize score of " + p.name() + ": " + s);
            }
            long w = weights.get(pi);
            for (int i = 0; i < n; i++) {
                long s = scores[i];
                if (s > ScorePlugin.MAX_NODE_SCORE || s < ScorePlugin.MIN_NODE_SCORE) {
                    throw new IllegalStateException("plugin " + p.name() + " returns an invalid score " + s);
                }
                total[i] += s * w;
            }
        }
        return total;
    }

    @Override
    public Status runReservePluginsReserve(CycleState state, PodInfo pod, String nodeName) {
        for (ReservePlugin p : reserve) {
            Status s = p.reserve(state, pod, nodeName);
            if (!s.isSuccess()) return s.withPlugin(p.name());
        }
        return Status.success();
    }

    @Override
    public void runReservePluginsUnreserve(CycleState state, PodInfo pod, String nodeName) {
        for (int i = reserve.size() - 1; i >= 0; i--) reserve.get(i).unreserve(state, pod, nodeName);
    }

    @Override
    public Status runPermitPlugins(CycleState state, PodInfo pod, String nodeName) {
        Duration maxWait = null;
        for (PermitPlugin p : permit) {
            PermitPlugin.Result r = p.permit(state, pod, nodeName);
            Status s = r.status();
            if (s.isWait()) {
                Duration t = r.timeout() == null || r.timeout().isZero() ? Duration.ofMinutes(15) : r.timeout();
                if (maxWait == null || t.compareTo(maxWait) > 0) maxWait = t;
                continue;
            }
            if (!s.isSuccess()) return s.withPlugin(p.name());
        }
        if (maxWait != null) {
            WaitingPods.register(waitingPods, pod.uid(), maxWait);
            return Status.of(Code.WAIT);
        }
        return Status.success();
    }

    @Override public Status waitOnPermit(PodInfo pod) { return WaitingPods.awaitPod(waitingPods, pod.uid()); }
    @Override public WaitingPods waitingPods() { return waitingPods; }

    @Override
    public Status runPreBindPlugins(CycleState state, PodInfo pod, String nodeName) {
        for (PreBindPlugin p : preBind) {
            Status s = p.preBind(state, pod, nodeName);
            if (!s.isSuccess()) return s.withPlugin(p.name());
        }
        return Status.success();
    }

    @Override
    public Status runBindPlugins(CycleState state, PodInfo pod, String nodeName) {
        if (bind.isEmpty()) return Status.error("no bind plugin is enabled");
        for (BindPlugin p : bind) {
            Status s = p.bind(state, pod, nodeName);
            if (s.isSkip()) continue;
            return s.withPlugin(p.name());
        }
        return Status.skip();
    }

    @Override
    public void runPostBindPlugins(CycleState state, PodInfo pod, String nodeName) {
        for (PostBindPlugin p : postBind) p.postBind(state, pod, nodeName);
    }

    @Override
    public Set<ClusterEvent> eventsFor(String plugin) {
        Plugin p = instances.get(plugin);
        return p instanceof EnqueueExtensions e ? e.eventsToRegister() : null;
    }

    @Override
    public Map<String, List<String>> listPlugins() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("queueSort", queueSort == null ? List.of() : List.of(queueSort.name()));
        m.put("preFilter", names(preFilter));
        m.put("filter", names(filter));
        m.put("postFilter", names(postFilter));
        m.put("preScore", names(preScore));
        List<String> sw = new ArrayList<>();
        for (int i = 0; i < score.size(); i++) sw.add(score.get(i).name() + "=" + scoreWeights.get(i));
        m.put("score", sw);
        m.put("reserve", names(reserve));
        m.put("permit", names(permit));
        m.put("preBind", names(preBind));
        m.put("bind", names(bind));
        m.put("postBind", names(postBind));
        return m;
    }

    private static List<String> names(List<? extends Plugin> ps) {
        List<String> out = new ArrayList<>(ps.size());
        for (Plugin p : ps) out.add(p.name());
        return out;
    }

    /** Removes a plugin from one extension point (config's per-point disable). */
    public void disable(Point point, String name) {
        switch (point) {
            case QUEUE_SORT -> { if (queueSort != null && queueSort.name().equals(name)) queueSort = null; }
            case PRE_FILTER -> preFilter.removeIf(p -> p.name().equals(name));
            case FILTER -> filter.removeIf(p -> p.name().equals(name));
            case POST_FILTER -> postFilter.removeIf(p -> p.name().equals(name));
            case PRE_SCORE -> preScore.removeIf(p -> p.name().equals(name));
            case SCORE -> {
                for (int i = score.size() - 1; i >= 0; i--) {
                    if (score.get(i).name().equals(name)) { score.remove(i); scoreWeights.remove(i); }
                }
            }
            case RESERVE -> reserve.removeIf(p -> p.name().equals(name));
            case PERMIT -> permit.removeIf(p -> p.name().equals(name));
            case PRE_BIND -> preBind.removeIf(p -> p.name().equals(name));
            case BIND -> bind.removeIf(p -> p.name().equals(name));
            case POST_BIND -> postBind.removeIf(p -> p.name().equals(name));
        }
    }
}

package io.kube4j.scheduler.perf;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.scheduler.NominatedPods;
import io.kube4j.scheduler.SchedulingAlgorithm;
import io.kube4j.scheduler.cache.SchedulerCache;
import io.kube4j.scheduler.config.SchedulerConfiguration;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Snapshot;
import io.kube4j.scheduler.framework.runtime.ClusterListers;
import io.kube4j.scheduler.framework.runtime.FrameworkImpl;
import io.kube4j.scheduler.profile.ProfileBuilder;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;

/**
 * Measures the in-process scheduling algorithm (cache snapshot + default plugins + assume) without any API
 * server: the ceiling for end-to-end throughput. Run: mvn -pl kube4j-scheduler test-compile exec:java is not
 * wired; run its main from the IDE or with java -cp target/test-classes:target/classes:$(deps).
 */
public final class AlgorithmThroughputProbe {
    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int pods = args.length > 1 ? Integer.parseInt(args[1]) : 10000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        SchedulerCache cache = new SchedulerCache();
        for (int i = 0; i < nodes; i++) {
            cache.addNode(Nodes.node("node-" + i).cpu("32").memory("128Gi").pods(110).zone("zone-" + (i % 3)).build());
        }
        Parallelizer par = new Parallelizer(threads);
        FrameworkImpl fw = ProfileBuilder.build(SchedulerConfiguration.defaults().profiles().get(0), par, null, ClusterListers.EMPTY);
        SchedulingAlgorithm algo = new SchedulingAlgorithm(par, new NominatedPods());
        Pod[] ps = new Pod[pods];
        for (int i = 0; i < pods; i++) ps[i] = Pods.pod("pod-" + i).cpu("100m").memory("100Mi").build();
        for (int round = 0; round < 2; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < pods; i++) {
                PodInfo pi = new PodInfo(ps[i]);
                Snapshot snap = cache.updateSnapshot();
                fw.setSnapshot(snap);
                SchedulingAlgorithm.Result r = algo.schedulePod(fw, new CycleState(), pi, snap, 0);
                if (r.host() == null) throw new IllegalStateException("unschedulable: " + r);
                cache.assumePod(pi, r.host());
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("round %d: %d nodes, %d pods: %.0f pods/s%n", round, nodes, pods, pods / secs);
            for (int i = 0; i < pods; i++) cache.forgetPod(new PodInfo(ps[i]));
        }
        par.close();
    }
}

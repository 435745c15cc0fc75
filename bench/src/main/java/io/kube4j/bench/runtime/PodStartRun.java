package io.kube4j.bench.runtime;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kube4j.cri.v1.ContainerConfig;
import io.kube4j.cri.v1.ContainerMetadata;
import io.kube4j.cri.v1.CreateContainerRequest;
import io.kube4j.cri.v1.DNSConfig;
import io.kube4j.cri.v1.ImageSpec;
import io.kube4j.cri.v1.PodSandboxConfig;
import io.kube4j.cri.v1.PodSandboxMetadata;
import io.kube4j.cri.v1.RemovePodSandboxRequest;
import io.kube4j.cri.v1.RunPodSandboxRequest;
import io.kube4j.cri.v1.RuntimeServiceGrpc;
import io.kube4j.cri.v1.StartContainerRequest;
import io.kube4j.cri.v1.StopPodSandboxRequest;
import io.kube4j.cri.v1.VersionRequest;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Starts pods one after another through CRI, as the kubelet does for a new pod: RunPodSandbox,
 * CreateContainer, StartContainer of a busybox container, each timed; then the pod is stopped and
 * removed (not timed) so every pod starts on the same clean node.
 */
final class PodStartRun {
    final Latencies sandbox = new Latencies();
    final Latencies create = new Latencies();
    final Latencies start = new Latencies();
    final Latencies total = new Latencies();
    long rssKb;
    long peakRssKb;
    long heapUsedBytes;

    static PodStartRun measure(RuntimeUnderTest runtime, int pods, int warmup, Path logDir) throws InterruptedException {
        ManagedChannel channel = Grpc.newChannelBuilder("unix://" + runtime.socket(), InsecureChannelCredentials.create()).build();
        try {
            awaitReady(channel, runtime);
            PodStartRun run = new PodStartRun();
            for (int i = 0; i < warmup + pods; i++) {
                RuntimeServiceGrpc.RuntimeServiceBlockingStub cri = RuntimeServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(2, TimeUnit.MINUTES);
                PodSandboxConfig config = sandboxConfig("bench-" + i, logDir);
                long t0 = System.nanoTime();
                String sandboxId = cri.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()).getPodSandboxId();
                long t1 = System.nanoTime();
                String containerId = cri.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandboxId)
                        .setConfig(containerConfig()).setSandboxConfig(config).build()).getContainerId();
                long t2 = System.nanoTime();
                cri.startContainer(StartContainerRequest.newBuilder().setContainerId(containerId).build());
                long t3 = System.nanoTime();
                if (i >= warmup) {
                    run.sandbox.record(t1 - t0);
                    run.create.record(t2 - t1);
                    run.start.record(t3 - t2);
                    run.total.record(t3 - t0);
                }
                cri.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build());
                cri.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build());
                if ((i + 1) % 25 == 0) {
                    System.err.printf("  %s: %d/%d pods%n", runtime.name(), i + 1, warmup + pods);
                }
            }
            run.rssKb = ProcessStats.rssKb(runtime.pid());
            run.peakRssKb = ProcessStats.peakRssKb(runtime.pid());
            run.heapUsedBytes = runtime.heapUsedAfterGc();
            return run;
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void awaitReady(ManagedChannel channel, RuntimeUnderTest runtime) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .version(VersionRequest.newBuilder().setVersion("v1").build());
                return;
            } catch (RuntimeException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(runtime.name() + " did not answer on " + runtime.socket() + " within 120s", last);
    }

    private static PodSandboxConfig sandboxConfig(String name, Path logDir) {
        String uid = UUID.randomUUID().toString();
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("bench").setUid(uid))
                .setHostname(name)
                .setLogDirectory(logDir.resolve(uid).toString())
                .putLabels("bench", "runtime")
                .setDnsConfig(DNSConfig.newBuilder().addServers("10.96.0.10").addSearches("bench.svc.cluster.local"))
                .build();
    }

    private static ContainerConfig containerConfig() {
        return ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("app"))
                .setImage(ImageSpec.newBuilder().setImage("docker.io/library/busybox:latest"))
                .addAllCommand(List.of("sleep", "3600"))
                .setLogPath("app/0.log")
                .build();
    }
}

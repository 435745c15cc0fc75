package io.kube4j.kubelet.e2e;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.host.cgroup.Cgroups;
import io.kube4j.kubelet.Kubelet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The kubelet between the real kube4j API server and the real kube4j runtime (runc), with the offline busybox image. */
class RealStackTest {
    private static RealStack stack;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        org.awaitility.Awaitility.ignoreExceptionsByDefault();
        stack = RealStack.start("e2e-node", o -> o.withServer(new InetSocketAddress("127.0.0.1", 0)));
        client = stack.client;
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void registersTheNodeWithItsRuntimeAndRenewsItsLease() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Node node = client.nodes().withName("e2e-node").get();
            assertThat(node).isNotNull();
            assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "e2e-node")
                    .containsEntry("kubernetes.io/os", "linux");
            assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).isNotEmpty();
            assertThat(node.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
            });
            assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods", "ephemeral-storage");
            assertThat(client.leases().inNamespace("kube-node-lease").withName("e2e-node").get()).isNotNull();
        });
    }

    @Test
    void runsABusyboxPodAndReportsItsAddressAndExitCode() {
        Pod pod = new PodBuilder().withNewMetadata().withName("bb").withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("e2e-node").withRestartPolicy("Never").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("sleeper").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "sleep 3600").endContainer()
                .addNewContainer().withName("quitter").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "sleep 1; exit 3").endContainer()
                .endSpec().build();
        client.pods().inNamespace("default").resource(pod).create();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Pod p = client.pods().inNamespace("default").withName("bb").get();
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            assertThat(p.getStatus().getPodIP()).startsWith(stack.podNetworkPrefix);
            assertThat(p.getStatus().getHostIP()).isNotEmpty();
            ContainerStatus quitter = status(p, "quitter");
            assertThat(quitter.getState().getTerminated()).isNotNull();
            assertThat(quitter.getState().getTerminated().getExitCode()).isEqualTo(3);
            assertThat(quitter.getState().getTerminated().getReason()).isEqualTo("Error");
            ContainerStatus sleeper = status(p, "sleeper");
            assertThat(sleeper.getState().getRunning()).isNotNull();
            assertThat(sleeper.getReady()).isTrue();
        });
        assertThat(Files.exists(stack.base.resolve("logs"))).isTrue();

        client.pods().inNamespace("default").withName("bb").delete();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(client.pods().inNamespace("default").withName("bb").get()).isNull());
    }

    @Test
    void aCrashingContainerReportsItsTerminationMessageAndBacksOff() {
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("crash").endMetadata()
                .withNewSpec().withNodeName("e2e-node").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "echo bye > /dev/termination-log; exit 1").endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ContainerStatus s = status(client.pods().inNamespace("default").withName("crash").get(), "app");
            assertThat(s.getRestartCount()).isGreaterThanOrEqualTo(1);
            assertThat(s.getState().getWaiting()).isNotNull();
            assertThat(s.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
            assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(1);
            assertThat(s.getLastState().getTerminated().getMessage()).isEqualTo("bye\n");
        });
        client.pods().inNamespace("default").withName("crash").delete();
    }

    @Test
    void configMapVolumesAndEnvironmentReachTheContainer() {
        client.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("settings").endMetadata().addToData("key", "value").addToData("greeting", "hello").build()).create();
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("reader").endMetadata()
                .withNewSpec().withNodeName("e2e-node").withRestartPolicy("Never")
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "test \"$(cat /cfg/key)\" = value && test \"$GREETING\" = hello && test \"$POD\" = reader && touch /scratch/x && exit 0 || exit 7")
                .addNewEnv().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef("greeting", "settings", false).endValueFrom().endEnv()
                .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                .addNewVolumeMount().withName("cfg").withMountPath("/cfg").endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("cfg").withNewConfigMap().withName("settings").endConfigMap().endVolume()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Pod p = client.pods().inNamespace("default").withName("reader").get();
            assertThat(status(p, "app").getState().getTerminated()).isNotNull();
            assertThat(status(p, "app").getState().getTerminated().getExitCode()).isZero();
            assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded");
        });
        client.pods().inNamespace("default").withName("reader").delete();
    }

    /** securityContext reaches runc: the user, a read-only root, and capabilities dropped and added as containerd does. */
    @Test
    void containersRunWithTheirSecurityContext() {
        String chown = "touch /tmp/f && chown 1:1 /tmp/f 2>/dev/termination-log && exit 0 || exit 4";
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("secure").endMetadata()
                .withNewSpec().withNodeName("e2e-node").withRestartPolicy("Never")
                .addNewContainer().withName("user").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "id -u > /dev/termination-log")
                .withNewSecurityContext().withRunAsUser(1000L).endSecurityContext().endContainer()
                .addNewContainer().withName("readonly").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "touch /x 2>/dev/termination-log && exit 0 || exit 3")
                .withNewSecurityContext().withReadOnlyRootFilesystem(true).endSecurityContext().endContainer()
                .addNewContainer().withName("nocaps").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", chown)
                .withNewSecurityContext().withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext().endContainer()
                .addNewContainer().withName("onlychown").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", chown)
                .withNewSecurityContext().withNewCapabilities().withDrop("ALL").withAdd("CHOWN").endCapabilities()
                .endSecurityContext().endContainer()
                .addNewContainer().withName("defaults").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", chown).endContainer()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Pod p = client.pods().inNamespace("default").withName("secure").get();
            for (String name : List.of("user", "readonly", "nocaps", "onlychown", "defaults")) {
                assertThat(status(p, name).getState().getTerminated()).as(name).isNotNull();
            }
        });
        Pod p = client.pods().inNamespace("default").withName("secure").get();
        assertThat(status(p, "user").getState().getTerminated().getMessage()).isEqualTo("1000\n");
        assertThat(status(p, "readonly").getState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(status(p, "readonly").getState().getTerminated().getMessage()).contains("Read-only file system");
        assertThat(status(p, "nocaps").getState().getTerminated().getExitCode()).isEqualTo(4);
        assertThat(status(p, "nocaps").getState().getTerminated().getMessage()).contains("Operation not permitted");
        assertThat(status(p, "onlychown").getState().getTerminated().getExitCode()).as("drop ALL, then add CHOWN").isZero();
        assertThat(status(p, "defaults").getState().getTerminated().getExitCode()).as("the default set has CHOWN").isZero();
        client.pods().inNamespace("default").withName("secure").delete();
    }

    @Test
    void aRestartedKubeletDoesNotRestartHealthyContainers() {
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("steady").endMetadata()
                .withNewSpec().withNodeName("e2e-node").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sleep", "3600").endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(status(client.pods().inNamespace("default").withName("steady").get(), "app").getState().getRunning()).isNotNull());
        String id = status(client.pods().inNamespace("default").withName("steady").get(), "app").getContainerID();
        stack.kubelet.close();
        stack.kubelet = Kubelet.start(client, stack.options);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ContainerStatus s = status(client.pods().inNamespace("default").withName("steady").get(), "app");
            assertThat(s.getContainerID()).isEqualTo(id);
            assertThat(s.getRestartCount()).isZero();
            assertThat(s.getState().getRunning()).isNotNull();
        });
        client.pods().inNamespace("default").withName("steady").delete();
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilled() {
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("hog").endMetadata()
                .withNewSpec().withNodeName("e2e-node").withRestartPolicy("Never")
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo ${#x}")
                .withNewResources().addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("20Mi")).endResources()
                .endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Pod p = client.pods().inNamespace("default").withName("hog").get();
            assertThat(status(p, "app").getState().getTerminated()).isNotNull();
            assertThat(status(p, "app").getState().getTerminated().getReason()).isEqualTo("OOMKilled");
            assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
        });
        client.pods().inNamespace("default").withName("hog").delete();
    }

    @Test
    void servesContainerLogsAndExecThroughTheKubeletServer() throws Exception {
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("talker").endMetadata()
                .withNewSpec().withNodeName("e2e-node").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "echo hello; echo world; sleep 3600").endContainer().endSpec().build()).create();
        var http = java.net.http.HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + stack.kubelet.serverPort();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            var logs = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/containerLogs/default/talker/app?tailLines=1")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(logs.statusCode()).isEqualTo(200);
            assertThat(logs.body()).isEqualTo("world\n");
        });
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/healthz")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/pods")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body()).contains("\"talker\"");
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics/resource")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body())
                .contains("container_memory_working_set_bytes{container=\"app\",namespace=\"default\",pod=\"talker\"}")
                .contains("node_cpu_usage_seconds_total ").contains("scrape_error 0");

        java.util.concurrent.CompletableFuture<String> output = new java.util.concurrent.CompletableFuture<>();
        StringBuilder stdout = new StringBuilder();
        http.newWebSocketBuilder().subprotocols("v5.channel.k8s.io", "v4.channel.k8s.io")
                .buildAsync(java.net.URI.create("ws://127.0.0.1:" + stack.kubelet.serverPort()
                        + "/exec/default/talker/app?command=sh&command=-c&command=echo%20exec-works&stdout=1&stderr=1"),
                        new java.net.http.WebSocket.Listener() {
                            @Override
                            public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket ws, java.nio.ByteBuffer data, boolean last) {
                                if (data.remaining() > 0 && data.get() == 1) {
                                    stdout.append(java.nio.charset.StandardCharsets.UTF_8.decode(data));
                                }
                                ws.request(1);
                                return null;
                            }

                            @Override
                            public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int code, String reason) {
                                output.complete(stdout.toString());
                                return null;
                            }

                            @Override
                            public void onError(java.net.http.WebSocket ws, Throwable error) {
                                output.complete(stdout.toString());
                            }
                        }).get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(output.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("exec-works\n");
        client.pods().inNamespace("default").withName("talker").delete();
    }

    /** The runtime gets the RuntimeClass's handler: runc runs, a handler it lacks is a failed sandbox, never runc. */
    @Test
    void aRuntimeClassHandlerReachesTheRuntime() {
        for (String[] rc : List.of(new String[]{"native", "runc"}, new String[]{"kata", "kata"})) {
            client.resource(new io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder().withNewMetadata().withName(rc[0])
                    .endMetadata().withHandler(rc[1]).build()).create();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("rc-" + rc[0]).endMetadata()
                    .withNewSpec().withNodeName("e2e-node").withRuntimeClassName(rc[0]).withTerminationGracePeriodSeconds(1L)
                    .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                    .withCommand("sh", "-c", "sleep 3600").endContainer().endSpec().build()).create();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(client.pods().inNamespace("default").withName("rc-native").get().getStatus().getPhase()).isEqualTo("Running");
            assertThat(client.v1().events().inNamespace("default").list().getItems()).anySatisfy(e -> {
                assertThat(e.getInvolvedObject().getName()).isEqualTo("rc-kata");
                assertThat(e.getReason()).isEqualTo("FailedCreatePodSandBox");
                assertThat(e.getMessage()).isEqualTo("Failed to create pod sandbox: rpc error: code = InvalidArgument desc = "
                        + "unknown runtime handler \"kata\" (only runc is available)");
            });
        });
        Pod kata = client.pods().inNamespace("default").withName("rc-kata").get();
        assertThat(kata.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(status(kata, "app").getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
        assertThat(stack.cri.listPodSandboxes(Map.of())).noneMatch(s -> s.getMetadata().getName().equals("rc-kata"));
        client.pods().inNamespace("default").withName("rc-native").delete();
        client.pods().inNamespace("default").withName("rc-kata").delete();
    }

    /**
     * /metrics/cadvisor from the runtime's cgroup readings of a real container: the series exist for the container
     * and for its pod's cgroup, with the kubelet's labels, and the figures are plausible for a shell that spun a
     * little and sleeps.
     */
    @Test
    void servesCadvisorMetricsForARunningContainerAndItsPod() throws Exception {
        double testStart = System.currentTimeMillis() / 1000.0;
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("cadvisor").endMetadata()
                .withNewSpec().withNodeName("e2e-node").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("burner").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done; sleep 3600").endContainer()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> "Running".equals(
                client.pods().inNamespace("default").withName("cadvisor").get().getStatus().getPhase()));
        Pod pod = client.pods().inNamespace("default").withName("cadvisor").get();
        String podCgroup = "/kubepods-" + stack.bridge + "/besteffort/pod" + pod.getMetadata().getUid();
        String containerId = status(pod, "burner").getContainerID().replaceFirst("^[^:]+://", "");
        var http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + stack.kubelet.serverPort()
                + "/metrics/cadvisor")).build();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String page = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            String container = "{container=\"burner\",id=\"" + podCgroup + "/" + containerId + "\",image=\"busybox\",name=\""
                    + containerId + "\",namespace=\"default\",pod=\"cadvisor\"}";
            String podLabels = "{container=\"\",id=\"" + podCgroup + "\",image=\"\",name=\"\",namespace=\"default\","
                    + "pod=\"cadvisor\"}";
            double machineMemory = value(page, "machine_memory_bytes", "{");
            assertThat(value(page, "machine_cpu_cores", "{")).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(machineMemory).isPositive();
            double cpu = value(page, "container_cpu_usage_seconds_total",
                    container.replace("{container=\"burner\",", "{container=\"burner\",cpu=\"total\","));
            double elapsed = System.currentTimeMillis() / 1000.0 - testStart;
            assertThat(cpu).isPositive().isLessThan(elapsed * Runtime.getRuntime().availableProcessors());
            double usage = value(page, "container_memory_usage_bytes", container);
            double workingSet = value(page, "container_memory_working_set_bytes", container);
            double rss = value(page, "container_memory_rss", container);
            assertThat(workingSet).isPositive().isLessThanOrEqualTo(usage);
            assertThat(rss).isPositive().isLessThanOrEqualTo(usage);
            assertThat(usage).isLessThan(machineMemory);
            assertThat(value(page, "container_start_time_seconds", container)).isBetween(testStart - 5,
                    System.currentTimeMillis() / 1000.0);
            assertThat(value(page, "container_last_seen", container)).isGreaterThanOrEqualTo(Math.floor(testStart));
            // the pod's cgroup holds the container: at least its usage
            assertThat(value(page, "container_memory_usage_bytes", podLabels)).isGreaterThanOrEqualTo(usage);
            assertThat(value(page, "container_cpu_usage_seconds_total",
                    podLabels.replace("{container=\"\",", "{container=\"\",cpu=\"total\","))).isGreaterThanOrEqualTo(cpu);
            assertThat(page).contains("container_scrape_error 0\n");
        });
        client.pods().inNamespace("default").withName("cadvisor").delete();
    }

    /**
     * A RuntimeClass's overhead (on the pod as admission leaves it) raises the limits of the real pod cgroup the
     * container runs under: 128Mi + 120Mi of memory, 500m + 250m of CPU.
     */
    @Test
    void thePodsOverheadIsInItsRealCgroup() throws Exception {
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("overhead").endMetadata()
                .withNewSpec().withNodeName("e2e-node").withTerminationGracePeriodSeconds(1L)
                .withOverhead(Map.of("cpu", new io.fabric8.kubernetes.api.model.Quantity("250m"),
                        "memory", new io.fabric8.kubernetes.api.model.Quantity("120Mi")))
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "sleep 3600").withNewResources()
                .addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("500m"))
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("128Mi")).endResources()
                .endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> "Running".equals(
                client.pods().inNamespace("default").withName("overhead").get().getStatus().getPhase()));
        String uid = client.pods().inNamespace("default").withName("overhead").get().getMetadata().getUid();
        String podCgroup = "kubepods-" + stack.bridge + "/pod" + uid;
        Path memory = Cgroups.ofThisHost().dir("memory", podCgroup).orElseThrow();
        Path cpu = Cgroups.ofThisHost().dir("cpu", podCgroup).orElseThrow();

        assertThat(Files.readString(memory.resolve("memory.limit_in_bytes")).trim()).isEqualTo(Long.toString(248L << 20));
        assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us")).trim()).isEqualTo("75000");
        // the container itself keeps its own limit inside the pod's
        String containerId = status(client.pods().inNamespace("default").withName("overhead").get(), "app")
                .getContainerID().replaceFirst("^[^:]+://", "");
        assertThat(Files.readString(memory.resolve(containerId).resolve("memory.limit_in_bytes")).trim())
                .isEqualTo(Long.toString(128L << 20));
        client.pods().inNamespace("default").withName("overhead").delete();
    }

    /** The value of the one series of {@code family} whose labels start with {@code labels}. */
    private static double value(String page, String family, String labels) {
        List<String> lines = page.lines().filter(l -> l.startsWith(family + labels)).toList();
        assertThat(lines).as(family + labels).hasSize(1);
        return Double.parseDouble(lines.get(0).split(" ")[1]);
    }

    private static ContainerStatus status(Pod p, String name) {
        List<ContainerStatus> all = p.getStatus().getContainerStatuses();
        assertThat(all).isNotNull();
        return all.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }
}

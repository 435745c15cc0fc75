package io.kube4j.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.cri.v1.ContainerConfig;
import io.kube4j.cri.v1.KeyValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kubelet against a fake CRI runtime (in-process gRPC) and the real kube4j API server on loopback. fabric8's CRUD
 * mock server cannot serve this: it ignores spec.nodeName field selectors and keeps only the first pods/status patch.
 */
class KubeletTest {
    @RegisterExtension
    final KubeletHarness harness = KubeletHarness.create().withNamespace("ns");
    KubernetesClient client;
    Path dir;
    FakeRuntime runtime;

    @BeforeEach
    void start() {
        client = harness.client;
        dir = harness.dir;
        runtime = harness.runtime;
        startKubelet();
    }

    private void startKubelet() {
        harness.startKubelet(harness.fastNode("node-a")
                .withSyncFrequency(Duration.ofMillis(500))
                .withStaticPodPath(dir.resolve("manifests")));
    }

    private static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
                .withNewSpec().withNodeName("node-a").withTerminationGracePeriodSeconds(7L).endSpec();
    }

    @BeforeEach
    void tolerateMissingStatus() {
        org.awaitility.Awaitility.ignoreExceptionsByDefault();
    }

    private Pod get(String name) {
        return client.pods().inNamespace("ns").withName(name).get();
    }

    private static ContainerStatus status(Pod p, String name) {
        assertThat(p.getStatus()).isNotNull();
        assertThat(p.getStatus().getContainerStatuses()).isNotNull();
        return p.getStatus().getContainerStatuses().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    private ContainerConfig configOf(String containerName) {
        return runtime.configs.values().stream().filter(c -> c.getMetadata().getName().equals(containerName)).findFirst().orElseThrow();
    }

    @Test
    void registersTheNodeAndRenewsItsLease() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var node = client.nodes().withName("node-a").get();
            assertThat(node).isNotNull();
            assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "node-a");
            assertThat(node.getStatus()).isNotNull();
            assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).isEqualTo("fake://1.0");
            assertThat(node.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods", "ephemeral-storage");
            assertThat(node.getStatus().getConditions()).extracting("type")
                    .contains("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
            assertThat(client.leases().inNamespace("kube-node-lease").withName("node-a").get().getSpec().getHolderIdentity())
                    .isEqualTo("node-a");
        });
    }

    /** A worker hands the kubelet a lease on the JVM's shared Service informer: the kubelet reads it and closes it. */
    @Test
    void readsServiceEnvFromAGivenServiceInformerAndClosesItWithItself() {
        harness.stopKubelet();
        var web = client.services().inNamespace("ns").resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName("web-db").endMetadata().withNewSpec()
                .addNewPort().withName("pg").withPort(5432).endPort().endSpec().build()).create();
        SharedIndexInformer<Service> services = client.services().inAnyNamespace().runnableInformer(0);
        harness.startKubelet(harness.fastNode("node-a"), services);
        assertThat(services.isRunning()).isTrue();

        client.pods().inNamespace("ns").resource(pod("env").editSpec()
                .addNewContainer().withName("env-app").withImage("busybox").withImagePullPolicy("IfNotPresent").endContainer()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(runtime.containersNamed("env-app")).isNotEmpty());
        Map<String, String> env = configOf("env-app").getEnvsList().stream()
                .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
        assertThat(env).containsEntry("WEB_DB_SERVICE_HOST", web.getSpec().getClusterIP())
                .containsEntry("WEB_DB_SERVICE_PORT_PG", "5432");

        harness.stopKubelet();
        assertThat(services.isRunning()).isFalse();
    }

    /** Upstream's kubelet writes the status first: kubectl get -w shows ContainerCreating while the sandbox is made. */
    @Test
    void aPodWaitsInContainerCreatingWhileItsSandboxIsMade() {
        runtime.sandboxGate = new java.util.concurrent.CountDownLatch(1);
        client.pods().inNamespace("ns").resource(pod("slow").editSpec()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent").endContainer()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod p = get("slow");
            assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
            assertThat(status(p, "app").getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
            assertThat(p.getStatus().getStartTime()).isNotNull();
        });
        assertThat(runtime.sandboxes).as("the sandbox is still being made").isEmpty();
        String startTime = get("slow").getStatus().getStartTime();
        runtime.sandboxGate.countDown();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod p = get("slow");
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            assertThat(p.getStatus().getStartTime()).as("kept from the first status").isEqualTo(startTime);
        });
    }

    /** The fake runtime's busybox has no user: it would run as root, which runAsNonRoot forbids. */
    @Test
    void runAsNonRootWithARootImageIsAConfigError() {
        client.pods().inNamespace("ns").resource(pod("nonroot").editSpec()
                .withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent").endContainer()
                .addNewContainer().withName("user").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withNewSecurityContext().withRunAsUser(1000L).endSecurityContext().endContainer()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod p = get("nonroot");
            var waiting = status(p, "app").getState().getWaiting();
            assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
            assertThat(waiting.getMessage()).startsWith("container has runAsNonRoot and image will run as root (pod: \"nonroot_ns(");
            assertThat(status(p, "user").getState().getRunning()).isNotNull();
        });
        assertThat(runtime.containersNamed("app")).isEmpty();
    }

    @Test
    void runsAPodWithEnvironmentAndVolumesAndReportsItRunning() throws Exception {
        client.configMaps().inNamespace("ns").resource(new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                .addToData("greeting", "hello").addToData("file.txt", "content-1").build()).create();
        client.pods().inNamespace("ns").resource(pod("web").editSpec()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .addNewEnv().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef("greeting", "cfg", false).endValueFrom().endEnv()
                .addNewEnv().withName("MY_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("COMPOSED").withValue("$(GREETING)-world").endEnv()
                .addNewVolumeMount().withName("config").withMountPath("/etc/config").endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
                .withNewResources().addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                .addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("500m")).endResources()
                .endContainer()
                .addNewVolume().withName("config").withNewConfigMap().withName("cfg").endConfigMap().endVolume()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build()).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod p = get("web");
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            assertThat(p.getStatus().getPodIP()).startsWith("10.99.0.");
            assertThat(p.getStatus().getQosClass()).isEqualTo("Guaranteed");
            assertThat(status(p, "app").getReady()).isTrue();
            assertThat(p.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
            });
        });
        ContainerConfig config = configOf("app");
        Map<String, String> env = config.getEnvsList().stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
        assertThat(env).containsEntry("GREETING", "hello").containsEntry("MY_NAME", "web").containsEntry("COMPOSED", "hello-world");
        assertThat(config.getLogPath()).isEqualTo("app/0.log");
        assertThat(config.getLinux().getResources().getMemoryLimitInBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.getLinux().getResources().getCpuQuota()).isEqualTo(50_000);
        var mount = config.getMountsList().stream().filter(m -> m.getContainerPath().equals("/etc/config")).findFirst().orElseThrow();
        assertThat(mount.getReadonly()).isTrue();
        assertThat(Files.readString(Path.of(mount.getHostPath()).resolve("file.txt"))).isEqualTo("content-1");

        // a changed ConfigMap reaches the volume at a resync
        client.configMaps().inNamespace("ns").withName("cfg").edit(cm -> {
            cm.getData().put("file.txt", "content-2");
            return cm;
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Files.readString(Path.of(mount.getHostPath()).resolve("file.txt"))).isEqualTo("content-2"));
    }

    @Test
    void aCrashingContainerIsRestartedAndThenBacksOff() {
        client.pods().inNamespace("ns").resource(pod("crash").editSpec()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("exit", "1").endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ContainerStatus s = status(get("crash"), "app");
            assertThat(s.getRestartCount()).isEqualTo(1);
            assertThat(s.getState().getWaiting()).isNotNull();
            assertThat(s.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
            assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(1);
            assertThat(get("crash").getStatus().getPhase()).isEqualTo("Running");
        });
        assertThat(runtime.containersNamed("app")).hasSize(2);
    }

    /** Upstream keeps the logs of the current and the previous instance only, and none of a deleted pod. */
    @Test
    void logsOfRemovedContainersAndOfADeletedPodAreRemoved() throws Exception {
        Pod created = client.pods().inNamespace("ns").resource(pod("crash").editSpec()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("exit", "1").endContainer().endSpec().build()).create();
        Path logs = dir.resolve("logs").resolve("ns_crash_" + created.getMetadata().getUid());
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(status(get("crash"), "app").getRestartCount()).isGreaterThanOrEqualTo(2);
            try (var files = Files.list(logs.resolve("app"))) {
                assertThat(files.map(f -> f.getFileName().toString()).toList()).hasSize(2).doesNotContain("0.log");
            }
        });
        client.pods().inNamespace("ns").withName("crash").delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(logs).doesNotExist());
    }

    @Test
    void aFailedContainerWithRestartPolicyNeverFailsThePod() {
        client.pods().inNamespace("ns").resource(pod("job").editSpec().withRestartPolicy("Never")
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("exit", "2").endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod p = get("job");
            assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
            assertThat(status(p, "app").getState().getTerminated().getExitCode()).isEqualTo(2);
            assertThat(status(p, "app").getState().getTerminated().getReason()).isEqualTo("Error");
        });
    }

    @Test
    void initContainersRunInOrderBeforeTheApp() {
        client.pods().inNamespace("ns").resource(pod("init").editSpec().withRestartPolicy("OnFailure")
                .addNewInitContainer().withName("first").withImage("busybox").withImagePullPolicy("IfNotPresent").withCommand("exit", "0").endInitContainer()
                .addNewInitContainer().withName("second").withImage("busybox").withImagePullPolicy("IfNotPresent").withCommand("exit", "0").endInitContainer()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent").withCommand("exit", "0").endContainer()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod p = get("init");
            assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded");
            assertThat(status(p, "app").getState().getTerminated().getReason()).isEqualTo("Completed");
        });
        assertThat(runtime.calls.stream().filter(c -> c.startsWith("CreateContainer")).toList())
                .containsExactly("CreateContainer first", "CreateContainer second", "CreateContainer app");
    }

    @Test
    void aMissingConfigMapIsACreateContainerConfigError() {
        client.pods().inNamespace("ns").resource(pod("nocm").editSpec()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("k", "absent", false).endValueFrom().endEnv()
                .endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ContainerStatus s = status(get("nocm"), "app");
            assertThat(s.getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
            assertThat(s.getState().getWaiting().getMessage()).isEqualTo("configmap \"absent\" not found");
            assertThat(get("nocm").getStatus().getPhase()).isEqualTo("Pending");
        });
    }

    @Test
    void aMissingImageIsErrImagePullThenImagePullBackOff() {
        client.pods().inNamespace("ns").resource(pod("noimg").editSpec()
                .addNewContainer().withName("app").withImage("missing/image:1").endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ContainerStatus s = status(get("noimg"), "app");
            assertThat(s.getState().getWaiting().getReason()).isIn("ErrImagePull", "ImagePullBackOff");
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(status(get("noimg"), "app").getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff"));
    }

    @Test
    void imagePullSecretsReachTheRuntimeAndAWrongOneIsErrImagePull() {
        String auths = "{\"auths\":{\"private.example\":{\"auth\":\""
                + java.util.Base64.getEncoder().encodeToString("puller:pw".getBytes()) + "\"}}}";
        String wrong = "{\"auths\":{\"private.example\":{\"username\":\"intruder\",\"password\":\"x\"}}}";
        for (String[] secret : new String[][]{{"regcred", auths}, {"badcred", wrong}}) {
            client.secrets().inNamespace("ns").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                    .withNewMetadata().withName(secret[0]).endMetadata().withType("kubernetes.io/dockerconfigjson")
                    .addToData(".dockerconfigjson", java.util.Base64.getEncoder().encodeToString(secret[1].getBytes()))
                    .build()).create();
        }
        client.pods().inNamespace("ns").resource(pod("priv").editSpec().addNewImagePullSecret("regcred")
                .addNewContainer().withName("app").withImage("private.example/team/app:1").endContainer().endSpec()
                .build()).create();
        client.pods().inNamespace("ns").resource(pod("nopriv").editSpec().addNewImagePullSecret("badcred")
                .addNewImagePullSecret("absent")
                .addNewContainer().withName("app").withImage("private.example/team/other:1").endContainer().endSpec()
                .build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get("priv").getStatus().getPhase()).isEqualTo("Running"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ContainerStatus s = status(get("nopriv"), "app");
            assertThat(s.getState().getWaiting().getReason()).isIn("ErrImagePull", "ImagePullBackOff");
        });
        assertThat(runtime.calls).contains("PullImage refused user 'intruder'")
                .doesNotContain("PullImage refused user 'puller'");
    }

    @Test
    void deletingAPodRunsPreStopAndStopsWithTheGracePeriod() {
        client.pods().inNamespace("ns").resource(pod("bye").editSpec()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withNewLifecycle().withNewPreStop().withNewExec().withCommand("sh", "-c", "echo bye").endExec().endPreStop().endLifecycle()
                .endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get("bye").getStatus().getPhase()).isEqualTo("Running"));
        client.pods().inNamespace("ns").withName("bye").delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(runtime.calls).contains("ExecSync sh -c echo bye");
            assertThat(runtime.calls).contains("StopContainer 7");
            assertThat(runtime.sandboxes).isEmpty();
            assertThat(runtime.containers).isEmpty();
        });
    }

    @Test
    void aRestartedKubeletAdoptsRunningContainers() {
        client.pods().inNamespace("ns").resource(pod("keep").editSpec()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent").endContainer()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get("keep").getStatus().getPhase()).isEqualTo("Running"));
        String id = status(get("keep"), "app").getContainerID();
        harness.stopKubelet();
        runtime.calls.clear();
        startKubelet();
        // the new kubelet has synced the pod once it has re-registered the node and reported it
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(client.nodes().withName("node-a").get()).isNotNull());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(status(get("keep"), "app").getContainerID()).isEqualTo(id);
            assertThat(runtime.calls).noneMatch(c -> c.startsWith("CreateContainer") || c.startsWith("RunPodSandbox")
                    || c.startsWith("StopContainer"));
        });
    }

    @Test
    void aContainerThatDiesIsNoticedByTheRelist() {
        client.pods().inNamespace("ns").resource(pod("die").editSpec()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent").endContainer()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get("die").getStatus().getPhase()).isEqualTo("Running"));
        String first = runtime.containersNamed("app").get(0).getId();
        runtime.exit(first, 0);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ContainerStatus s = status(get("die"), "app");
            assertThat(s.getRestartCount()).isEqualTo(1);
            assertThat(s.getState().getRunning()).isNotNull();
            assertThat(s.getLastState().getTerminated().getReason()).isEqualTo("Completed");
        });
    }

    @Test
    void readinessProbesDriveTheReadyCondition() {
        runtime.execExitCode = 1;
        client.pods().inNamespace("ns").resource(pod("probed").editSpec()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withNewReadinessProbe().withNewExec().withCommand("cat", "/ready").endExec().withPeriodSeconds(1)
                .withFailureThreshold(1).endReadinessProbe().endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod p = get("probed");
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            assertThat(runtime.calls).contains("ExecSync cat /ready");
            assertThat(status(p, "app").getReady()).isFalse();
        });
        runtime.execExitCode = 0;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod p = get("probed");
            assertThat(status(p, "app").getReady()).isTrue();
            assertThat(p.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
            });
        });
        // every run counted by result, as upstream's /metrics/probes
        String uid = get("probed").getMetadata().getUid();
        assertThat(harness.kubelet.metrics().probes().render().lines()).anyMatch(l -> l.matches(
                "prober_probe_total\\{container=\"app\",namespace=\"ns\",pod=\"probed\",pod_uid=\"" + uid
                        + "\",probe_type=\"Readiness\",result=\"failed\"} [1-9]\\d*"))
                .anyMatch(l -> l.matches("prober_probe_total\\{container=\"app\",namespace=\"ns\",pod=\"probed\",pod_uid=\""
                        + uid + "\",probe_type=\"Readiness\",result=\"successful\"} [1-9]\\d*"));
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() {
        client.pods().inNamespace("ns").resource(pod("live").editSpec()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withNewLivenessProbe().withNewExec().withCommand("check").endExec().withPeriodSeconds(1)
                .withFailureThreshold(2).endLivenessProbe().endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get("live").getStatus().getPhase()).isEqualTo("Running"));
        runtime.execExitCode = 1;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ContainerStatus s = status(get("live"), "app");
            assertThat(s.getRestartCount()).isGreaterThanOrEqualTo(1);
            assertThat(s.getLastState().getTerminated()).isNotNull();
        });
    }

    @Test
    void aPodPastItsActiveDeadlineIsKilledAndFailed() {
        client.pods().inNamespace("ns").resource(pod("deadline").editSpec().withActiveDeadlineSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent").endContainer()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Pod p = get("deadline");
            assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
            assertThat(p.getStatus().getReason()).isEqualTo("DeadlineExceeded");
            assertThat(runtime.containersNamed("app")).allSatisfy(c ->
                    assertThat(c.getState()).isEqualTo(io.kube4j.cri.v1.ContainerState.CONTAINER_EXITED));
        });
    }

    @Test
    void sidecarsStartBeforeLaterInitContainersAndKeepRunning() {
        client.pods().inNamespace("ns").resource(pod("side").editSpec()
                .addNewInitContainer().withName("proxy").withImage("busybox").withImagePullPolicy("IfNotPresent").withRestartPolicy("Always").endInitContainer()
                .addNewInitContainer().withName("setup").withImage("busybox").withImagePullPolicy("IfNotPresent").withCommand("exit", "0").endInitContainer()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent").endContainer()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod p = get("side");
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            var proxy = p.getStatus().getInitContainerStatuses().stream().filter(s -> s.getName().equals("proxy")).findFirst().orElseThrow();
            assertThat(proxy.getState().getRunning()).isNotNull();
            assertThat(p.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Initialized");
                assertThat(c.getStatus()).isEqualTo("True");
            });
        });
        assertThat(runtime.calls.stream().filter(c -> c.startsWith("CreateContainer")).toList())
                .containsExactly("CreateContainer proxy", "CreateContainer setup", "CreateContainer app");
    }

    @Test
    void projectedDownwardApiSecretAndTokenVolumesAreWritten() throws Exception {
        client.secrets().inNamespace("ns").resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withName("creds").endMetadata().addToStringData("user", "admin").build()).create();
        client.pods().inNamespace("ns").resource(pod("proj").editMetadata().addToLabels("tier", "web").endMetadata().editSpec()
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .addNewVolumeMount().withName("all").withMountPath("/var/run/all").endVolumeMount()
                .addNewVolumeMount().withName("all").withMountPath("/etc/user").withSubPath("user").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("all").withNewProjected()
                .addNewSource().withNewSecret().withName("creds").endSecret().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels")
                .endFieldRef().endItem().endDownwardAPI().endSource()
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3600L).endServiceAccountToken().endSource()
                .endProjected().endVolume()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get("proj").getStatus().getPhase()).isEqualTo("Running"));
        ContainerConfig config = configOf("app");
        var mount = config.getMountsList().stream().filter(m -> m.getContainerPath().equals("/var/run/all")).findFirst().orElseThrow();
        Path volume = Path.of(mount.getHostPath());
        assertThat(Files.readString(volume.resolve("user"))).isEqualTo("admin");
        assertThat(Files.readString(volume.resolve("labels"))).isEqualTo("tier=\"web\"");
        assertThat(Files.exists(volume.resolve("token"))).isTrue();
        var sub = config.getMountsList().stream().filter(m -> m.getContainerPath().equals("/etc/user")).findFirst().orElseThrow();
        assertThat(Files.readString(Path.of(sub.getHostPath()))).isEqualTo("admin");
        assertThat(sub.getReadonly()).isTrue();
    }

    @Test
    void staticPodsRunFromManifestsWithMirrorPods() throws Exception {
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("etcd.yaml"), String.join("\n",
                "apiVersion: v1", "kind: Pod", "metadata:", "  name: etcd", "  namespace: ns", "spec:", "  containers:",
                "  - name: etcd", "    image: busybox", "    imagePullPolicy: IfNotPresent", ""));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Pod mirror = get("etcd-node-a");
            assertThat(mirror.getMetadata().getAnnotations()).containsKey("kubernetes.io/config.mirror");
            assertThat(mirror.getStatus().getPhase()).isEqualTo("Running");
            assertThat(status(mirror, "etcd").getState().getRunning()).isNotNull();
        });
        assertThat(runtime.containersNamed("etcd")).hasSize(1);
        Files.delete(manifests.resolve("etcd.yaml"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(get("etcd-node-a")).isNull();
            assertThat(runtime.containersNamed("etcd")).isEmpty();
        });
    }
}

package io.kube4j.kubelet.server;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.kuberuntime.ConfigFactory;
import io.kube4j.kubelet.metrics.KubeletMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kubectl logs --previous} reads upstream's lastState.terminated container: in CrashLoopBackOff that is the
 * attempt that just crashed, not the one before it.
 */
class PreviousLogsTest {

    @TempDir
    Path dir;

    RuntimeClient cri;
    KubeletServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (cri != null) {
            cri.close();
        }
    }

    @Test
    void inABackOffPreviousIsTheAttemptThatJustCrashed() throws Exception {
        serve(crashedThreeTimes(new ContainerStatusBuilder().withName("app").withRestartCount(2)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(3).endTerminated().endLastState().build()));

        assertThat(get("/containerLogs/default/crash/app?previous=true")).isEqualTo("attempt 2\n");
        assertThat(get("/containerLogs/default/crash/app")).isEqualTo("attempt 2\n");
    }

    @Test
    void whileTheNextAttemptRunsPreviousIsTheOneBeforeIt() throws Exception {
        serve(crashedThreeTimes(new ContainerStatusBuilder().withName("app").withRestartCount(2)
                .withNewState().withNewRunning().endRunning().endState()
                .withNewLastState().withNewTerminated().withExitCode(3).endTerminated().endLastState().build()));

        assertThat(get("/containerLogs/default/crash/app?previous=true")).isEqualTo("attempt 1\n");
        assertThat(get("/containerLogs/default/crash/app")).isEqualTo("attempt 2\n");
    }

    private Pod crashedThreeTimes(io.fabric8.kubernetes.api.model.ContainerStatus status) {
        return new PodBuilder().withNewMetadata().withName("crash").withNamespace("default").withUid("uid-1").endMetadata()
                .withNewStatus().withContainerStatuses(status).endStatus().build();
    }

    private void serve(Pod pod) throws Exception {
        ConfigFactory configs = new ConfigFactory(dir.resolve("logs"), List.of(), "cluster.local");
        Path logs = configs.podLogDirectory(pod).resolve("app");
        Files.createDirectories(logs);
        for (int attempt = 0; attempt < 3; attempt++) {
            Files.writeString(logs.resolve(attempt + ".log"), "2026-11-26T05:00:0" + attempt + "Z stdout F attempt " + attempt + "\n");
        }
        cri = new RuntimeClient(InProcessChannelBuilder.forName("no-runtime-" + System.nanoTime()).build());
        server = new KubeletServer(new InetSocketAddress("127.0.0.1", 0), cri, configs, () -> List.of(pod),
                new KubernetesSerialization(), null, null, null, null, new KubeletMetrics("node-a", null));
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}

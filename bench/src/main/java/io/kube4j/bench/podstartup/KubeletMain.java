package io.kube4j.bench.podstartup;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.kubelet.Kubelet;
import io.kube4j.kubelet.KubeletOptions;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The agent under test, alone in its JVM so that its CPU and RSS are its own:
 * {@code KubeletMain --api URL --node NAME --socket PATH --root DIR --logs DIR --kubepods NAME}.
 */
public final class KubeletMain {
    private KubeletMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String api = null;
        String node = null;
        Path socket = null;
        Path root = null;
        Path logs = null;
        String kubepods = "kubepods";
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--api" -> api = value;
                case "--node" -> node = value;
                case "--socket" -> socket = Path.of(value);
                case "--root" -> root = Path.of(value);
                case "--logs" -> logs = Path.of(value);
                case "--kubepods" -> kubepods = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (api == null || node == null || socket == null || root == null || logs == null) {
            throw new IllegalArgumentException("usage: KubeletMain --api URL --node NAME --socket PATH --root DIR --logs DIR [--kubepods NAME]");
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(api).build()).build();
        Kubelet kubelet = Kubelet.start(client, KubeletOptions.defaults(node, socket, root).withPodLogDir(logs)
                .withCgroups(Path.of("/sys/fs/cgroup"), kubepods));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kubelet.close();
            client.close();
            stopped.countDown();
        }, "kubelet-shutdown"));
        stopped.await();
    }
}

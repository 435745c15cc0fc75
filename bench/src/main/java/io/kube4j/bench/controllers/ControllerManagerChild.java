package io.kube4j.bench.controllers;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The controller manager alone in its own JVM, so that its heap and CPU are its own. Prints {@code RUNNING}
 * once its controllers run; on a {@code heap} line from stdin prints {@code HEAP <bytes used after a full GC>};
 * stops at end of input. Usage: ControllerManagerChild KUBECONFIG [CONTROLLERS, default *].
 */
public final class ControllerManagerChild {
    private ControllerManagerChild() {
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
        Set<String> controllers = Set.of((args.length > 1 ? args[1] : "*").split(","));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
             ControllerManager manager = ControllerManager.start(client, new ControllerManagerOptions()
                     .leaderElect(false).controllers(controllers))) {
            if (!manager.awaitRunning(Duration.ofSeconds(120))) {
                System.out.println("FAILED controllers did not start");
                return;
            }
            System.out.println("RUNNING");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if ("heap".equals(line.trim())) {
                    System.out.println("HEAP " + heapUsedAfterGc());
                    System.out.flush();
                }
            }
        }
    }

    static long heapUsedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

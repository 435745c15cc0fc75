package io.kube4j.kubelet;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A kubelet test's world, made before each test and torn down after it: a fake CRI runtime, the real API server on
 * loopback ({@link ControlPlane}) with a client, a state directory, optionally a namespace, and the kubelet - started
 * before the test when the test class asks for it, or by the test once its objects are in place.
 *
 * <pre>
 *   &#64;RegisterExtension
 *   final KubeletHarness harness = KubeletHarness.create().withNamespace("ns").startingKubelet(o -&gt; o);
 * </pre>
 */
final class KubeletHarness implements BeforeEachCallback, AfterEachCallback {
    private String namespace;
    private Consumer<FakeRuntime> runtimeSetup = r -> { };
    private UnaryOperator<KubeletOptions> autoStart;

    Path dir;
    FakeRuntime runtime;
    ControlPlane controlPlane;
    KubernetesClient client;
    Kubelet kubelet;

    private KubeletHarness() {
    }

    static KubeletHarness create() {
        return new KubeletHarness();
    }

    /** A namespace made before each test. */
    KubeletHarness withNamespace(String name) {
        this.namespace = name;
        return this;
    }

    /** Settings of the fake runtime made before the kubelet connects (e.g. its network not ready yet). */
    KubeletHarness withRuntime(Consumer<FakeRuntime> setup) {
        this.runtimeSetup = setup;
        return this;
    }

    /** Starts the kubelet of node "node-a" before each test, with {@link #fastNode} options changed by {@code options}. */
    KubeletHarness startingKubelet(UnaryOperator<KubeletOptions> options) {
        this.autoStart = options;
        return this;
    }

    /** Options of a kubelet whose node status and lease tick fast, with its state under this test's directory. */
    KubeletOptions fastNode(String name) {
        return ControlPlane.fastNode(name, dir);
    }

    /** Starts a kubelet on the fake runtime; one still running is closed first. */
    Kubelet startKubelet(KubeletOptions options) {
        stopKubelet();
        kubelet = Kubelet.start(client, options, runtime.channel());
        return kubelet;
    }

    /** Starts a kubelet that reads Services from the given informer (a worker's shared one) and closes it with itself. */
    Kubelet startKubelet(KubeletOptions options, SharedIndexInformer<Service> services) {
        stopKubelet();
        kubelet = Kubelet.start(client, options, runtime.channel(), services);
        return kubelet;
    }

    /** Closes the kubelet, if one runs; its containers stay in the runtime, as a real kubelet's do. */
    void stopKubelet() {
        if (kubelet != null) {
            kubelet.close();
            kubelet = null;
        }
    }

    /** The requests the test's client - the kubelet's too - sent so far. */
    List<String> requests() {
        return controlPlane.requests;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("kubelet-test-");
        runtime = new FakeRuntime();
        runtimeSetup.accept(runtime);
        controlPlane = ControlPlane.start(dir);
        client = controlPlane.client;
        if (namespace != null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .create();
        }
        if (autoStart != null) {
            startKubelet(autoStart.apply(fastNode("node-a")));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            stopKubelet();
        } finally {
            try {
                if (runtime != null) {
                    runtime.close();
                }
            } finally {
                if (controlPlane != null) {
                    controlPlane.close();
                }
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

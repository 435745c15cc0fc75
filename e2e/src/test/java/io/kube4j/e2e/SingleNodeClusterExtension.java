package io.kube4j.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

/**
 * One {@link SingleNodeCluster} per test class: a class declares
 * {@code @RegisterExtension static final SingleNodeClusterExtension cluster = new SingleNodeClusterExtension();}
 * and its tests use {@link #kubectl()}, {@link #server()} and {@link #dir()}. The class is skipped when not run as
 * root (the worker runs containers). The cluster's data directory, kubectl's cache and whatever the tests write
 * share one temporary directory, removed after the cluster has stopped and cleaned up the host.
 */
final class SingleNodeClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private final Consumer<Kube4jServer> configure;
    private Path dir;
    private SingleNodeCluster cluster;

    SingleNodeClusterExtension() {
        this(server -> { });
    }

    /** {@code configure} may add JVM options or flags to the server before it starts. */
    SingleNodeClusterExtension(Consumer<Kube4jServer> configure) {
        this.configure = configure;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: runs containers");
        dir = Files.createTempDirectory("kube4j-e2e-");
        cluster = SingleNodeCluster.start(dir, configure);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (cluster != null) {
                cluster.stop(); // the pods' containers, namespaces, veths and cgroups go with the worker's clean-up
            }
        } finally {
            if (dir != null) {
                delete(dir);
            }
        }
    }

    /**
     * The tree, symbolic links not followed (a pod's volumes and rootfs leftovers hold some). Not the runtime's
     * FileTrees: these tests drive kube4j.jar as a process and compile against none of its classes.
     */
    private static void delete(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The class's temporary directory, for files the tests hand to kubectl or mount into pods. */
    Path dir() {
        return dir;
    }

    Kube4jServer server() {
        return cluster.server;
    }

    Kubectl kubectl() {
        return cluster.kubectl;
    }
}

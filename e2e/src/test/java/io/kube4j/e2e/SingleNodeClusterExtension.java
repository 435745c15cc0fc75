package io.kube4j.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The {@link SingleNodeCluster} of the test JVM: a class declares
 * {@code @RegisterExtension static final SingleNodeClusterExtension cluster = new SingleNodeClusterExtension();}
 * and its tests use {@link #kubectl()}, {@link #server()} and {@link #dir()}. The first class started in a JVM starts
 * the cluster; the next ones find it {@link SingleNodeCluster#reset() reset} (or started again, if a class left its
 * server killed); it stops when the JVM's test run ends. The e2e pom runs the single-node classes in one JVM, so that
 * they pay for one cluster start and stop instead of one each. The class is skipped when not run as root (the worker
 * runs containers). The cluster's data directory, kubectl's cache and each class's files share one temporary
 * directory, removed after the cluster has stopped and cleaned up the host.
 */
final class SingleNodeClusterExtension implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SingleNodeClusterExtension.class);

    private Path dir;
    private SingleNodeCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: runs containers");
        // the root context's store: closed by JUnit (AutoCloseable) once every class of this JVM has run
        Shared shared = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Shared.class, key -> new Shared(),
                Shared.class);
        cluster = shared.acquire();
        dir = Files.createDirectories(shared.dir.resolve(context.getRequiredTestClass().getSimpleName()));
    }

    /** The cluster and its directory, shared by the classes of one JVM. */
    private static final class Shared implements AutoCloseable {
        final Path dir;
        private SingleNodeCluster cluster;
        private int starts;

        Shared() {
            try {
                dir = Files.createTempDirectory("kube4j-e2e-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The running cluster as it started: started now, or reset after the classes before. */
        SingleNodeCluster acquire() {
            if (cluster == null) {
                // a directory per attempt: a failed start leaves its data behind
                cluster = SingleNodeCluster.start(dir.resolve("cluster-" + ++starts));
                return cluster;
            }
            if (!cluster.running()) {
                cluster.restart();
            }
            cluster.reset();
            return cluster;
        }

        @Override
        public void close() throws IOException {
            try {
                if (cluster != null) {
                    cluster.stop(); // the pods' containers, namespaces, veths and cgroups go with the worker's clean-up
                }
            } finally {
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

    /** The class's own directory (beside the cluster's), for files the tests hand to kubectl or mount into pods. */
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

package io.kube4j.runtime;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.kube4j.runtime.container.ContainerManager;
import io.kube4j.runtime.image.ArchiveImporter;
import io.kube4j.runtime.image.ImageStore;
import io.kube4j.runtime.image.FallbackPuller;
import io.kube4j.runtime.image.RegistryConfig;
import io.kube4j.runtime.image.RegistryPuller;
import io.kube4j.runtime.network.CniNetwork;
import io.kube4j.runtime.network.NetworkLeftovers;
import io.kube4j.runtime.oci.Conmon;
import io.kube4j.runtime.oci.Runc;
import io.kube4j.runtime.sandbox.SandboxManager;
import io.kube4j.runtime.streaming.StreamingServer;
import io.kube4j.runtime.util.IdlePools;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * kube4j's CRI runtime: the image and runtime services on a unix socket. Containers outlive it
 * (conmon keeps them); a new RuntimeServer on the same root picks them up again.
 *
 * <pre>
 *   try (RuntimeServer server = RuntimeServer.start(root, socket)) { ... }
 * </pre>
 */
public final class RuntimeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeServer.class);
    private static final long IMPORT_SCAN_SECONDS = 5;

    private final Server server;
    private final EventLoopGroup group;
    private final ExecutorService handlers;
    private final StreamingServer streaming;
    private final ScheduledExecutorService importScanner;
    private final RuntimeOptions options;

    private RuntimeServer(Server server, EventLoopGroup group, ExecutorService handlers, StreamingServer streaming,
                          ScheduledExecutorService importScanner, RuntimeOptions options) {
        this.importScanner = importScanner;
        this.server = server;
        this.group = group;
        this.handlers = handlers;
        this.streaming = streaming;
        this.options = options;
    }

    public static RuntimeServer start(Path root, Path socket) {
        return start(RuntimeOptions.defaults(root, socket));
    }

    public static RuntimeServer start(RuntimeOptions options) {
        Path root = options.root();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create runtime root " + root + ": " + e.getMessage(), e);
        }
        CniNetwork.enableForwarding();
        ImageStore images = new ImageStore(root.resolve("images"), root.resolve("layers"));
        ArchiveImporter importer = new ArchiveImporter(images);
        importer.importDirectory(options.importDir(), true);
        CniNetwork network = new CniNetwork(options.cniPluginDir(), options.bridge(), options.podCidr(),
                root.resolve("cni/ipam"), options.ipMasq());
        SandboxManager sandboxes = new SandboxManager(root.resolve("sandboxes"), options.namespaceDir(), network);
        new NetworkLeftovers(network.bridge(), network.networkName()).reclaim(sandboxes.attachedNetworks());
        Runc runc = new Runc(options.runc(), root.resolve("runc"));
        ContainerManager containers = new ContainerManager(root.resolve("containers"), images, sandboxes, runc,
                new Conmon(options.conmon(), runc));

        StreamingServer streaming;
        try {
            streaming = StreamingServer.start(options.streamingAddress(), runc);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the streaming server", e);
        }
        ScheduledExecutorService importScanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "image-import-scan");
            t.setDaemon(true);
            return t;
        });
        Path socket = options.socket();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        ExecutorService handlers = IdlePools.named("cri-handler");
        try {
            Files.createDirectories(socket.getParent());
            Files.deleteIfExists(socket);
            Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(group)
                    .workerEventLoopGroup(group)
                    // The handlers block (runc, conmon, image pulls): not the event loop, so a pool, but the runtime's
                    // own instead of gRPC's shared cached one, whose idle threads stay a minute (7-9 grpc-default-executor
                    // threads in the agent after 100 pod starts).
                    .executor(handlers)
                    .maxInboundMessageSize(16 * 1024 * 1024)
                    .addService(new CriRuntimeService(sandboxes, containers, streaming))
                    .addService(new CriImageService(images,
                            new FallbackPuller(images, new RegistryPuller(images, RegistryConfig.load(options.registriesConfig()))), containers))
                    .build()
                    .start();
            LOG.info("kube4j runtime serving CRI on unix://{} (root {})", socket, root);
            // Archives dropped into the import directory later (kube4j images import) appear within seconds.
            group.next().scheduleWithFixedDelay(() -> {
                try {
                    importer.importDirectory(options.importDir(), true);
                } catch (RuntimeException e) {
                    LOG.warn("image import scan failed: {}", e.getMessage());
                }
            }, IMPORT_SCAN_SECONDS, IMPORT_SCAN_SECONDS, TimeUnit.SECONDS);
            // Exits are noticed when someone looks; with event subscribers, look every half second.
            importScanner.scheduleWithFixedDelay(() -> {
                try {
                    if (containers.events().hasListeners()) {
                        containers.reapExited();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("exit scan failed: {}", e.getMessage());
                }
            }, 500, 500, TimeUnit.MILLISECONDS);
            return new RuntimeServer(server, group, handlers, streaming, importScanner, options);
        } catch (IOException e) {
            importScanner.shutdownNow();
            group.shutdownGracefully();
            handlers.shutdown();
            streaming.close();
            throw new UncheckedIOException("cannot serve on " + socket + ": " + e.getMessage(), e);
        }
    }

    public Path socket() {
        return options.socket();
    }

    /** Stops serving; containers keep running. */
    @Override
    public void close() {
        importScanner.shutdownNow();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        handlers.shutdown(); // after the server: calls still running finish on their threads
        streaming.close();
        try {
            Files.deleteIfExists(options.socket());
        } catch (IOException ignored) {
            // a stale socket is replaced at the next start
        }
    }

    /** {@code runtime --root DIR --socket PATH [--images DIR] [--pod-cidr CIDR] [--bridge NAME] [--ip-masq BOOL]}. */
    public static void main(String[] args) throws InterruptedException {
        Path root = Path.of("/var/lib/kube4j/runtime");
        Path socket = Path.of("/run/kube4j/runtime.sock");
        Path images = null;
        String cidr = null;
        String bridge = null;
        Boolean masquerade = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--root" -> root = Path.of(require(args[i], value));
                case "--socket" -> socket = Path.of(require(args[i], value));
                case "--images" -> images = Path.of(require(args[i], value));
                case "--pod-cidr" -> cidr = require(args[i], value);
                case "--bridge" -> bridge = require(args[i], value);
                case "--ip-masq" -> masquerade = Boolean.parseBoolean(require(args[i], value));
                default -> {
                    System.err.println("unknown option " + args[i]
                            + "; usage: runtime --root DIR --socket PATH [--images DIR] [--pod-cidr CIDR] [--bridge NAME] [--ip-masq true|false]");
                    System.exit(2);
                }
            }
            i++;
        }
        RuntimeOptions options = RuntimeOptions.defaults(root, socket);
        if (images != null) {
            options = options.withImportDir(images);
        }
        options = options.withNetwork(cidr != null ? cidr : options.podCidr(), bridge != null ? bridge : options.bridge(),
                masquerade != null ? masquerade : options.ipMasq());
        RuntimeServer server = start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "runtime-shutdown"));
        stopped.await();
    }

    private static String require(String option, String value) {
        if (value == null) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return value;
    }
}

package io.kube4j.runtime;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.kube4j.runtime.container.ContainerManager;
import io.kube4j.runtime.image.ArchiveImporter;
import io.kube4j.runtime.image.ImageStore;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * kube4j's CRI runtime: the image and runtime services on a unix socket, and to a kubelet in the same JVM through gRPC's
 * in-process transport ({@link #inProcessChannel()}). Containers outlive it (conmon keeps them); a new RuntimeServer on
 * the same root picks them up again.
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
    /** The services the socket serves, served in-process as well once a channel is asked for. */
    private final List<BindableService> services;
    /** The in-process server, started by the first {@link #inProcessChannel()}; null until then. */
    private Server inProcess;
    private String inProcessName;
    private boolean closed;

    private RuntimeServer(Server server, EventLoopGroup group, ExecutorService handlers, StreamingServer streaming,
                          ScheduledExecutorService importScanner, RuntimeOptions options, List<BindableService> services) {
        this.importScanner = importScanner;
        this.server = server;
        this.group = group;
        this.handlers = handlers;
        this.streaming = streaming;
        this.options = options;
        this.services = services;
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
        List<BindableService> services = List.of(new CriRuntimeService(sandboxes, containers, streaming),
                // every PullImage asks the registry, as containerd's does: a stored copy never stands in for an
                // unreachable one, so imagePullPolicy Always fails offline (ErrImagePull) as upstream's kubelet does
                new CriImageService(images, new RegistryPuller(images, RegistryConfig.load(options.registriesConfig())), containers));
        try {
            Files.createDirectories(socket.getParent());
            Files.deleteIfExists(socket);
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(group)
                    .workerEventLoopGroup(group)
                    // The handlers block (runc, conmon, image pulls): not the event loop, so a pool, but the runtime's
                    // own instead of gRPC's shared cached one, whose idle threads stay a minute (7-9 grpc-default-executor
                    // threads in the agent after 100 pod starts).
                    .executor(handlers)
                    .maxInboundMessageSize(16 * 1024 * 1024);
            services.forEach(builder::addService);
            Server server = builder.build().start();
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
            return new RuntimeServer(server, group, handlers, streaming, importScanner, options, services);
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

    /**
     * A CRI channel to this runtime for a client in the same JVM (the kubelet of {@code kube4j agent|server}): the same
     * services as the socket, through gRPC's in-process transport. A call is handed over as objects - no HTTP/2, no
     * socket, and no protobuf encoding: the in-process stream carries the message itself, which the receiving side's
     * parser returns as it is - and no Netty client is loaded for it. The socket stays served for crictl and a kubelet
     * elsewhere. The in-process server starts with the first channel, so a runtime serving only its socket
     * ({@code kube4j runtime}) has none.
     */
    public synchronized ManagedChannel inProcessChannel() {
        if (closed) {
            throw new IllegalStateException("the runtime on " + options.socket() + " was closed");
        }
        if (inProcess == null) {
            String name = "kube4j-runtime-" + UUID.randomUUID();
            InProcessServerBuilder builder = InProcessServerBuilder.forName(name)
                    .executor(handlers)
                    // deadlines on the runtime's event loops rather than a gRPC timer thread of their own
                    .scheduledExecutorService(group);
            services.forEach(builder::addService);
            try {
                inProcess = builder.build().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve CRI in-process: " + e.getMessage(), e);
            }
            inProcessName = name;
            LOG.info("kube4j runtime serving CRI in-process as well");
        }
        // The channel keeps gRPC's shared timer for its deadlines: the kubelet owns it and may outlive this server,
        // whose event loops end with it.
        return InProcessChannelBuilder.forName(inProcessName).build();
    }

    /** Stops serving; containers keep running. */
    @Override
    public void close() {
        importScanner.shutdownNow();
        Server local;
        synchronized (this) {
            closed = true;
            local = inProcess;
        }
        // both refuse new calls before either waits for its running ones
        server.shutdown();
        if (local != null) {
            local.shutdown();
            stop(local);
        }
        stop(server);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        handlers.shutdown(); // after the servers: calls still running finish on their threads
        streaming.close();
        try {
            Files.deleteIfExists(options.socket());
        } catch (IOException ignored) {
            // a stale socket is replaced at the next start
        }
    }

    /** Waits for the calls still running on a server that was shut down, then cuts off the rest. */
    private static void stop(Server server) {
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
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

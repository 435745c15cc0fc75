package io.kube4j.kubelet.server;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kube4j.cri.v1.Container;
import io.kube4j.cri.v1.ContainerState;
import io.kube4j.cri.v1.PodSandbox;
import io.kube4j.cri.v1.PodSandboxState;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.kuberuntime.ConfigFactory;
import io.kube4j.kubelet.kuberuntime.Labels;
import io.kube4j.kubelet.metrics.KubeletMetrics;
import io.kube4j.kubelet.metrics.MetricsPage;
import io.kube4j.kubelet.pod.LogTail;
import io.kube4j.kubelet.server.auth.KubeletAuth;
import io.kube4j.kubelet.server.stats.SummaryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The kubelet's HTTP endpoints the API server proxies to: {@code /healthz}, {@code /pods},
 * {@code /containerLogs/<ns>/<pod>/<container>}, {@code /exec|/attach/<ns>/<pod>/<container>} and
 * {@code /portForward/<ns>/<pod>}, {@code /stats/summary}, {@code /metrics}, {@code /metrics/resource},
 * {@code /metrics/cadvisor}, {@code /metrics/probes} and {@code /configz} ({@code /spec}, cAdvisor's machine JSON, is
 * 404 as in upstream since 1.21). Streaming requests are relayed byte for byte to the runtime's streaming server
 * (WebSocket or SPDY alike), as upstream's kubelet proxies them. Secure mode (upstream's only one): HTTPS with the
 * node's serving certificate, every request authenticated and authorized through the API server
 * ({@link KubeletAuth}). Plain mode, with no authentication, is for tests on loopback.
 */
public final class KubeletServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeletServer.class);

    private static final java.time.Duration HEAD_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final ServerSocket socket;
    private final RuntimeClient cri;
    private final ConfigFactory configs;
    private final Supplier<List<Pod>> pods;
    private final KubernetesSerialization json;
    /** Null in plain mode. */
    private final KubeletAuth auth;
    /** Null when this kubelet serves no stats. */
    private final SummaryBuilder summary;
    private final KubeletMetrics metrics;
    /** Null when this kubelet does not say its configuration. */
    private final Configz configz;
    /** Null when this kubelet serves no cAdvisor metrics. */
    private final CadvisorMetrics cadvisor;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kubelet-server");
        t.setDaemon(true);
        return t;
    });

    public KubeletServer(InetSocketAddress address, RuntimeClient cri, ConfigFactory configs, Supplier<List<Pod>> pods,
                         KubernetesSerialization json) throws IOException {
        this(address, cri, configs, pods, json, null, null);
    }

    /** Serves HTTPS with {@code tls}, letting through only what {@code auth} allows; both null for plain HTTP. */
    public KubeletServer(InetSocketAddress address, RuntimeClient cri, ConfigFactory configs, Supplier<List<Pod>> pods,
                         KubernetesSerialization json, ServingTls tls, KubeletAuth auth) throws IOException {
        this(address, cri, configs, pods, json, tls == null ? null : () -> tls, tls == null ? null : tls.clientCa(), auth,
                null, new KubeletMetrics("", cri.operations()));
    }

    /**
     * @param tls      the serving certificate of the moment, read at each handshake (rotation); null for plain HTTP
     * @param clientCa the CA whose client certificates authenticate; null for plain HTTP
     * @param summary  what {@code /stats/summary} answers from; null when this kubelet has no stats
     * @param metrics  what {@code /metrics} reports
     */
    public KubeletServer(InetSocketAddress address, RuntimeClient cri, ConfigFactory configs, Supplier<List<Pod>> pods,
                         KubernetesSerialization json, Supplier<ServingTls> tls, java.security.cert.X509Certificate clientCa,
                         KubeletAuth auth, SummaryBuilder summary, KubeletMetrics metrics) throws IOException {
        this(address, cri, configs, pods, json, tls, clientCa, auth, summary, metrics, null);
    }

    /** @param configz what {@code /configz} answers; null to answer 404 */
    public KubeletServer(InetSocketAddress address, RuntimeClient cri, ConfigFactory configs, Supplier<List<Pod>> pods,
                         KubernetesSerialization json, Supplier<ServingTls> tls, java.security.cert.X509Certificate clientCa,
                         KubeletAuth auth, SummaryBuilder summary, KubeletMetrics metrics, Configz configz) throws IOException {
        this(address, cri, configs, pods, json, tls, clientCa, auth, summary, metrics, configz, null);
    }

    /** @param cadvisor what {@code /metrics/cadvisor} answers from; null to answer 404 */
    public KubeletServer(InetSocketAddress address, RuntimeClient cri, ConfigFactory configs, Supplier<List<Pod>> pods,
                         KubernetesSerialization json, Supplier<ServingTls> tls, java.security.cert.X509Certificate clientCa,
                         KubeletAuth auth, SummaryBuilder summary, KubeletMetrics metrics, Configz configz,
                         CadvisorMetrics cadvisor) throws IOException {
        if ((tls == null) != (auth == null) || (tls == null) != (clientCa == null)) {
            throw new IllegalArgumentException("the kubelet server needs both TLS and authentication, or neither");
        }
        this.auth = auth;
        this.socket = tls == null ? new ServerSocket() : TlsServerSockets.create(tls, clientCa);
        this.socket.setReuseAddress(true);
        this.socket.bind(address);
        this.cri = cri;
        this.configs = configs;
        this.pods = pods;
        this.json = json;
        this.summary = summary;
        this.metrics = metrics;
        this.configz = configz;
        this.cadvisor = cadvisor;
        connections.execute(this::acceptLoop);
        LOG.info("kubelet server on {}://{}:{}{}", tls == null ? "http" : "https", address.getHostString(),
                socket.getLocalPort(), tls == null ? " (no authentication)" : "");
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                connections.execute(() -> handle(s));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.debug("accept failed: {}", e.getMessage());
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    private void handle(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            // a client that never finishes its handshake or request head must not hold a thread forever;
            // streams (logs -f, exec) then run without a limit
            s.setSoTimeout((int) HEAD_TIMEOUT.toMillis());
            HttpRequestHead req = HttpRequestHead.read(in);
            if (req == null) {
                return;
            }
            s.setSoTimeout(0);
            if (auth != null) {
                KubeletAuth.Decision decision = auth.check(req.method(), req.path(), peerCertificates(s),
                        req.header("Authorization"));
                if (!decision.allowed()) {
                    respond(out, decision.status(), "text/plain; charset=utf-8", decision.message());
                    return;
                }
            }
            String[] parts = req.path().split("/");
            String root = parts.length > 1 ? parts[1] : "";
            switch (root) {
                case "healthz" -> respond(out, 200, "text/plain", "ok");
                case "pods" -> respond(out, 200, "application/json", json.asJson(podList()));
                case "configz" -> {
                    if (configz == null || !req.path().equals("/configz")) {
                        respond(out, 404, "text/plain", "404 page not found");
                    } else if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
                        respond(out, 405, "text/plain", "405 method not allowed");
                    } else {
                        respond(out, 200, "application/json", json.asJson(configz.body()));
                    }
                }
                case "metrics" -> {
                    if (req.path().equals("/metrics/resource")) {
                        respond(out, 200, "text/plain; version=0.0.4", new ResourceMetrics(cri).render());
                    } else if (req.path().equals("/metrics/cadvisor") && cadvisor != null) {
                        respond(out, 200, "text/plain; version=0.0.4; charset=utf-8", cadvisor.render());
                    } else if (req.path().equals("/metrics/probes")) {
                        respond(out, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.probes().render());
                    } else if (req.path().equals("/metrics")) {
                        respond(out, 200, "text/plain; version=0.0.4; charset=utf-8",
                                MetricsPage.render(metrics, runtimeCounts()));
                    } else {
                        respond(out, 404, "text/plain", "404 page not found");
                    }
                }
                case "stats" -> {
                    if (summary == null || !(req.path().equals("/stats/summary") || req.path().equals("/stats/summary/"))) {
                        respond(out, 404, "text/plain", "404 page not found");
                    } else if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
                        respond(out, 405, "text/plain", "405 method not allowed");
                    } else {
                        respond(out, 200, "application/json",
                                json.asJson(summary.build("true".equals(req.param("only_cpu_and_memory")))));
                    }
                }
                case "containerLogs" -> {
                    if (parts.length != 5) {
                        respond(out, 400, "text/plain", "expected /containerLogs/<namespace>/<pod>/<container>");
                        return;
                    }
                    logs(req, out, parts[2], parts[3], parts[4]);
                }
                case "exec", "attach" -> {
                    if (parts.length < 5) {
                        respond(out, 400, "text/plain", "expected /" + root + "/<namespace>/<pod>/<container>");
                        return;
                    }
                    String container = parts[parts.length - 1];
                    Optional<Container> c = runningContainer(parts[2], parts[3], container);
                    if (c.isEmpty()) {
                        respond(out, 404, "text/plain", "container " + container + " is not running in pod " + parts[2] + "/" + parts[3]);
                        return;
                    }
                    boolean tty = req.flag("tty");
                    boolean stdin = req.flag("stdin", "input");
                    boolean stdout = req.flag("stdout", "output");
                    boolean stderr = req.flag("stderr", "error") && !tty;
                    String url = root.equals("exec")
                            ? cri.exec(c.get().getId(), req.params("command"), stdin, stdout, stderr, tty)
                            : cri.attach(c.get().getId(), stdin, stdout, stderr, tty);
                    relay(req, in, out, url);
                }
                case "portForward" -> {
                    if (parts.length < 4) {
                        respond(out, 400, "text/plain", "expected /portForward/<namespace>/<pod>");
                        return;
                    }
                    Optional<PodSandbox> sandbox = cri.listPodSandboxes(Map.of(Labels.POD_NAMESPACE, parts[2], Labels.POD_NAME, parts[3]))
                            .stream().filter(x -> x.getState() == PodSandboxState.SANDBOX_READY).findFirst();
                    if (sandbox.isEmpty()) {
                        respond(out, 404, "text/plain", "pod " + parts[2] + "/" + parts[3] + " is not running");
                        return;
                    }
                    List<Integer> ports = new ArrayList<>();
                    req.params("port").forEach(p -> ports.add(Integer.parseInt(p)));
                    relay(req, in, out, withPorts(cri.portForward(sandbox.get().getId(), ports), ports));
                }
                default -> respond(out, 404, "text/plain", "404 page not found");
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("kubelet server request failed: {}", e.toString());
        }
    }

    private static List<java.security.cert.X509Certificate> peerCertificates(Socket s) {
        if (!(s instanceof javax.net.ssl.SSLSocket tls)) {
            return List.of();
        }
        try {
            List<java.security.cert.X509Certificate> chain = new ArrayList<>();
            for (java.security.cert.Certificate c : tls.getSession().getPeerCertificates()) {
                if (c instanceof java.security.cert.X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return chain;
        } catch (javax.net.ssl.SSLPeerUnverifiedException noCertificate) {
            return List.of();
        }
    }

    /** What the runtime runs now, for kubelet_running_pods and kubelet_running_containers; null if it cannot say. */
    private MetricsPage.RuntimeCounts runtimeCounts() {
        try {
            int sandboxes = (int) cri.listPodSandboxes(Map.of()).stream()
                    .filter(sb -> sb.getState() == PodSandboxState.SANDBOX_READY).count();
            Map<String, Integer> states = new java.util.TreeMap<>();
            for (Container c : cri.listContainers(Map.of())) {
                String state = switch (c.getState()) {
                    case CONTAINER_CREATED -> "created";
                    case CONTAINER_RUNNING -> "running";
                    case CONTAINER_EXITED -> "exited";
                    default -> "unknown";
                };
                states.merge(state, 1, Integer::sum);
            }
            return new MetricsPage.RuntimeCounts(sandboxes, states);
        } catch (RuntimeException e) {
            LOG.debug("cannot count what the runtime runs: {}", e.getMessage());
            return null;
        }
    }

    private PodList podList() {
        return new PodListBuilder().withItems(pods.get()).build();
    }

    private Optional<Container> runningContainer(String ns, String pod, String name) {
        return cri.listContainers(Map.of(Labels.POD_NAMESPACE, ns, Labels.POD_NAME, pod, Labels.CONTAINER_NAME, name)).stream()
                .filter(c -> c.getState() == ContainerState.CONTAINER_RUNNING).max(Comparator.comparingLong(Container::getCreatedAt));
    }

    /**
     * A WebSocket port-forward names its ports in the query, not per stream as SPDY does; a runtime whose URL does not
     * carry them (kube4j's) learns them from the query it is relayed.
     */
    private static String withPorts(String url, List<Integer> ports) {
        if (ports.isEmpty() || URI.create(url).getRawQuery() != null) {
            return url;
        }
        StringBuilder query = new StringBuilder();
        for (int port : ports) {
            query.append(query.isEmpty() ? '?' : '&').append("port=").append(port);
        }
        return url + query;
    }

    /** Passes the client's request to the runtime's streaming server and relays both directions until either closes. */
    private void relay(HttpRequestHead req, InputStream clientIn, OutputStream clientOut, String url) throws IOException {
        URI target = URI.create(url);
        try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
            StringBuilder head = new StringBuilder(req.method()).append(' ').append(target.getRawPath());
            if (target.getRawQuery() != null) {
                head.append('?').append(target.getRawQuery());
            }
            head.append(" HTTP/1.1\r\n");
            for (String[] h : req.headers()) {
                if (!h[0].equalsIgnoreCase("Host")) {
                    head.append(h[0]).append(": ").append(h[1]).append("\r\n");
                }
            }
            head.append("Host: ").append(target.getHost()).append(':').append(target.getPort()).append("\r\n\r\n");
            OutputStream up = upstream.getOutputStream();
            up.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.flush();
            Thread pump = new Thread(() -> {
                try {
                    clientIn.transferTo(up);
                    upstream.shutdownOutput();
                } catch (IOException ignored) {
                    // the other direction notices
                }
            }, "kubelet-stream-in");
            pump.setDaemon(true);
            pump.start();
            try {
                upstream.getInputStream().transferTo(clientOut);
            } catch (IOException ignored) {
                // client or runtime went away
            }
        }
    }

    private void logs(HttpRequestHead req, OutputStream out, String ns, String podName, String container) throws IOException {
        Pod pod = pods.get().stream().filter(p -> ns.equals(p.getMetadata().getNamespace()) && podName.equals(p.getMetadata().getName()))
                .findFirst().orElse(null);
        if (pod == null) {
            respond(out, 404, "text/plain", "pod " + ns + "/" + podName + " not found on this node");
            return;
        }
        Path dir = configs.podLogDirectory(pod).resolve(container);
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var list = Files.list(dir)) {
                list.filter(p -> p.getFileName().toString().matches("\\d+\\.log")).forEach(files::add);
            }
        }
        files.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replace(".log", ""))));
        boolean previous = req.flag("previous");
        // Upstream's previous container is lastState.terminated: the one before the current attempt, except in a
        // restart back-off, where no newer attempt exists and the last one that ran is both current and previous.
        int index = files.size() - (previous && !inRestartBackOff(pod, container) ? 2 : 1);
        if (index < 0) {
            respond(out, 400, "text/plain", previous ? "previous terminated container \"" + container + "\" in pod \"" + podName + "\" not found"
                    : "container \"" + container + "\" in pod \"" + podName + "\" is waiting to start");
            return;
        }
        Path file = files.get(index);
        boolean timestamps = req.flag("timestamps");
        boolean follow = req.flag("follow") && !previous;
        long tail = req.param("tailLines") == null ? -1 : Long.parseLong(req.param("tailLines"));
        long limit = req.param("limitBytes") == null ? Long.MAX_VALUE : Long.parseLong(req.param("limitBytes"));
        Instant since = req.param("sinceSeconds") == null ? null : Instant.now().minusSeconds(Long.parseLong(req.param("sinceSeconds")));
        if (req.param("sinceTime") != null) {
            since = Instant.parse(req.param("sinceTime"));
        }
        out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        long written = 0;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        long skip = tail >= 0 ? Math.max(0, lines.size() - tail) : 0;
        long position = Files.size(file);
        // Upstream prints the timestamp only where a logical line starts: not again after a partial (P) segment.
        boolean lineStart = true;
        for (int i = (int) skip; i < lines.size() && written < limit; i++) {
            written += writeLine(out, lines.get(i), timestamps && lineStart, since, limit - written);
            lineStart = !LogTail.isPartial(lines.get(i));
        }
        out.flush();
        if (!follow) {
            return;
        }
        try (var channel = Files.newByteChannel(file)) {
            channel.position(position);
            BufferedReader reader = new BufferedReader(new InputStreamReader(java.nio.channels.Channels.newInputStream(channel), StandardCharsets.UTF_8));
            while (written < limit) {
                String line = reader.readLine();
                if (line != null) {
                    written += writeLine(out, line, timestamps && lineStart, since, limit - written);
                    lineStart = !LogTail.isPartial(line);
                    out.flush();
                    continue;
                }
                if (runningContainer(ns, podName, container).isEmpty() && !hasMore(reader)) {
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waiting to be started again with a terminated attempt behind it, as the kubelet last reported it. */
    private static boolean inRestartBackOff(Pod pod, String container) {
        if (pod.getStatus() == null) {
            return false;
        }
        return Stream.of(pod.getStatus().getContainerStatuses(), pod.getStatus().getInitContainerStatuses(),
                        pod.getStatus().getEphemeralContainerStatuses())
                .filter(Objects::nonNull).flatMap(List::stream)
                .filter(s -> container.equals(s.getName()))
                .anyMatch(s -> s.getState() != null && s.getState().getWaiting() != null
                        && s.getLastState() != null && s.getLastState().getTerminated() != null);
    }

    private static boolean hasMore(BufferedReader reader) throws IOException {
        return reader.ready();
    }

    private static long writeLine(OutputStream out, String line, boolean timestamps, Instant since, long budget) throws IOException {
        String[] parts = line.split(" ", 4);
        if (since != null && parts.length >= 3) {
            try {
                if (Instant.parse(parts[0]).isBefore(since)) {
                    return 0;
                }
            } catch (RuntimeException ignored) {
                // not a CRI line: print it
            }
        }
        String content = LogTail.content(line);
        boolean partial = parts.length >= 3 && parts[2].equals("P");
        String text = (timestamps && parts.length >= 3 ? LogTimestamps.format(parts[0]) + " " : "") + content + (partial ? "" : "\n");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(bytes.length, budget);
        out.write(bytes, 0, n);
        return n;
    }

    private static void respond(OutputStream out, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String reason = switch (code) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            default -> "Error";
        };
        out.write(("HTTP/1.1 " + code + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        connections.shutdownNow();
    }
}

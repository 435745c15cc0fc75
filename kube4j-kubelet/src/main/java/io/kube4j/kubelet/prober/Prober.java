package io.kube4j.kubelet.prober;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.kube4j.kubelet.cri.RuntimeClient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs one probe once: exec through CRI ExecSync, httpGet, tcpSocket or grpc health, against the pod's address. */
public class Prober {
    private final RuntimeClient cri;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

    public Prober(RuntimeClient cri) {
        this.cri = cri;
    }

    public ProbeResult probe(Probe probe, Container container, String containerId, String podIp) {
        int timeout = probe.getTimeoutSeconds() == null || probe.getTimeoutSeconds() < 1 ? 1 : probe.getTimeoutSeconds();
        try {
            if (probe.getExec() != null) {
                var result = cri.execSync(containerId, probe.getExec().getCommand(), timeout);
                return result.getExitCode() == 0 ? ProbeResult.SUCCESS : ProbeResult.FAILURE;
            }
            if (probe.getHttpGet() != null) {
                var get = probe.getHttpGet();
                String host = get.getHost() == null || get.getHost().isEmpty() ? podIp : get.getHost();
                int port = port(get.getPort(), container);
                String scheme = get.getScheme() == null ? "http" : get.getScheme().toLowerCase();
                String path = get.getPath() == null ? "/" : get.getPath().startsWith("/") ? get.getPath() : "/" + get.getPath();
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(scheme + "://" + host + ":" + port + path))
                        .timeout(Duration.ofSeconds(timeout)).header("User-Agent", "kube-probe/1.32");
                if (get.getHttpHeaders() != null) {
                    get.getHttpHeaders().forEach(h -> req.setHeader(h.getName(), h.getValue()));
                }
                int code = http.send(req.GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                return code >= 200 && code < 400 ? ProbeResult.SUCCESS : ProbeResult.FAILURE;
            }
            if (probe.getTcpSocket() != null) {
                var tcp = probe.getTcpSocket();
                String host = tcp.getHost() == null || tcp.getHost().isEmpty() ? podIp : tcp.getHost();
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(host, port(tcp.getPort(), container)), timeout * 1000);
                    return ProbeResult.SUCCESS;
                }
            }
            if (probe.getGrpc() != null) {
                return grpc(podIp, probe.getGrpc().getPort(), probe.getGrpc().getService(), timeout);
            }
            return ProbeResult.UNKNOWN;
        } catch (IOException | RuntimeException e) {
            return ProbeResult.FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.UNKNOWN;
        }
    }

    static int port(IntOrString port, Container container) {
        if (port == null) {
            throw new IllegalArgumentException("probe without a port");
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        String name = port.getStrVal();
        if (container.getPorts() != null) {
            for (ContainerPort p : container.getPorts()) {
                if (name.equals(p.getName())) {
                    return p.getContainerPort();
                }
            }
        }
        return Integer.parseInt(name);
    }

    /** grpc.health.v1.Health/Check with hand-encoded messages: one string field in, one enum field out. */
    private static ProbeResult grpc(String host, int port, String service, int timeout) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName("grpc.health.v1.Health/Check")
                    .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
            byte[] request = service == null || service.isEmpty() ? new byte[0] : encodeString(1, service);
            byte[] response = ClientCalls.blockingUnaryCall(channel, method,
                    CallOptions.DEFAULT.withDeadlineAfter(timeout, TimeUnit.SECONDS), request);
            // SERVING = 1, encoded as tag 0x08 then varint 1
            return response.length >= 2 && response[0] == 0x08 && response[1] == 0x01 ? ProbeResult.SUCCESS : ProbeResult.FAILURE;
        } finally {
            channel.shutdownNow();
        }
    }

    private static byte[] encodeString(int field, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write((field << 3) | 2);
        int len = bytes.length;
        while (len >= 0x80) {
            out.write((len & 0x7f) | 0x80);
            len >>>= 7;
        }
        out.write(len);
        out.writeBytes(bytes);
        return out.toByteArray();
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };
}

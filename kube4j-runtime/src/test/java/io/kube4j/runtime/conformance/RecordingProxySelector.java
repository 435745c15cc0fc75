package io.kube4j.runtime.conformance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Installed as the JVM's default proxy selector (which the runtime's HTTP clients consult for every
 * request): records each URI, lets loopback through and sends anything else to a closed loopback
 * port, so a test both sees an attempt to reach the internet and never makes one.
 */
final class RecordingProxySelector extends ProxySelector implements AutoCloseable {
    private final ProxySelector previous = ProxySelector.getDefault();
    private final List<URI> requested = new CopyOnWriteArrayList<>();
    private final int deadPort;

    private RecordingProxySelector(int deadPort) {
        this.deadPort = deadPort;
    }

    static RecordingProxySelector install() throws IOException {
        RecordingProxySelector selector = new RecordingProxySelector(LocalRegistry.freePort());
        ProxySelector.setDefault(selector);
        return selector;
    }

    @Override
    public List<Proxy> select(URI uri) {
        requested.add(uri);
        String host = uri.getHost();
        if (host != null && (host.equals("localhost") || host.startsWith("127."))) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", deadPort)));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException e) {
    }

    List<String> hosts() {
        return requested.stream().map(u -> u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())).distinct().toList();
    }

    @Override
    public void close() {
        ProxySelector.setDefault(previous);
    }
}

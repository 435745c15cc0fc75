package io.kube4j.proxy.dns;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster DNS server (what CoreDNS is in other distributions): answers the cluster zone from the API
 * and forwards everything else, over UDP and TCP on one address and port.
 */
public final class ClusterDns implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterDns.class);
    private static final int UDP_DEFAULT_SIZE = 512;
    private static final int EDNS_SIZE = 1232;
    private static final int TCP_IDLE_MILLIS = 10_000;

    private final InformerClusterView view;
    private final ClusterZone zone;
    private final Forwarder forwarder;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final ExecutorService workers;
    private volatile boolean closed;

    private ClusterDns(InformerClusterView view, DnsOptions options) throws IOException {
        this.view = view;
        this.zone = new ClusterZone(view, options.clusterDomain(), options.ttlSeconds());
        this.forwarder = new Forwarder(options.upstreams(), options.forwardTimeout());
        InetAddress bind = InetAddress.getByName(options.bindAddress());
        this.tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(bind, options.port()));
        // with port 0 both listeners share the port TCP picked
        this.udp = new DatagramSocket(new InetSocketAddress(bind, tcp.getLocalPort()));
        AtomicInteger counter = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "kube4j-dns-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the informers, waits for their first list, then listens. */
    public static ClusterDns start(KubernetesClient client, DnsOptions options) throws IOException {
        InformerClusterView view = new InformerClusterView(client);
        try {
            view.start();
            ClusterDns dns = new ClusterDns(view, options);
            dns.listen();
            return dns;
        } catch (IOException | RuntimeException e) {
            view.close();
            throw e;
        }
    }

    /** The address and port the server listens on (UDP and TCP). */
    public InetSocketAddress address() {
        return (InetSocketAddress) udp.getLocalSocketAddress();
    }

    private void listen() {
        Thread u = new Thread(this::serveUdp, "kube4j-dns-udp");
        u.setDaemon(true);
        u.start();
        Thread t = new Thread(this::serveTcp, "kube4j-dns-tcp");
        t.setDaemon(true);
        t.start();
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("dns udp receive failed: {}", e.getMessage());
                }
                continue;
            }
            byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
            var client = packet.getSocketAddress();
            submit(() -> {
                byte[] reply = handle(data, false);
                if (reply != null) {
                    try {
                        udp.send(new DatagramPacket(reply, reply.length, client));
                    } catch (IOException e) {
                        LOG.debug("dns udp send failed: {}", e.getMessage());
                    }
                }
            });
        }
    }

    private void serveTcp() {
        while (!closed) {
            try {
                Socket socket = tcp.accept();
                submit(() -> serveConnection(socket));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("dns tcp accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serveConnection(Socket socket) {
        try (socket) {
            socket.setSoTimeout(TCP_IDLE_MILLIS);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (!closed) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException e) {
                    return;
                }
                byte[] data = in.readNBytes(length);
                byte[] reply = handle(data, true);
                if (reply == null) {
                    return;
                }
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (SocketException e) {
            LOG.debug("dns tcp connection ended: {}", e.getMessage());
        } catch (IOException e) {
            LOG.debug("dns tcp connection failed: {}", e.getMessage());
        }
    }

    private void submit(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** The wire reply to a wire query; null when the query cannot even be parsed. */
    byte[] handle(byte[] data, boolean overTcp) {
        Message query;
        try {
            query = new Message(data);
        } catch (IOException e) {
            return formatError(data);
        }
        if (query.getHeader().getFlag(Flags.QR)) {
            return null;
        }
        Message response;
        try {
            response = zone.answer(query).orElseGet(() -> forwarder.forward(query, overTcp));
        } catch (RuntimeException e) {
            LOG.warn("dns lookup of {} failed", query.getQuestion(), e);
            response = new Message(query.getHeader().getID());
            response.getHeader().setFlag(Flags.QR);
            response.getHeader().setRcode(Rcode.SERVFAIL);
        }
        int maxSize = 65535;
        OPTRecord opt = query.getOPT();
        if (opt != null && response.getOPT() == null) {
            response.addRecord(new OPTRecord(EDNS_SIZE, 0, 0), org.xbill.DNS.Section.ADDITIONAL);
        }
        if (!overTcp) {
            maxSize = opt == null ? UDP_DEFAULT_SIZE : Math.max(UDP_DEFAULT_SIZE, Math.min(opt.getPayloadSize(), EDNS_SIZE));
        }
        return response.toWire(maxSize);
    }

    private static byte[] formatError(byte[] data) {
        if (data.length < 2) {
            return null;
        }
        Message m = new Message(((data[0] & 0xff) << 8) | (data[1] & 0xff));
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setRcode(Rcode.FORMERR);
        return m.toWire();
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            LOG.debug("closing dns tcp socket: {}", e.getMessage());
        }
        workers.shutdownNow();
        view.close();
    }
}

package io.kube4j.proxy.dns;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** A DNS server on loopback that answers every A question with 192.0.2.1, standing in for the host's resolver. */
final class FakeUpstream implements AutoCloseable {

    static final String ANSWER = "192.0.2.1";

    private final DatagramSocket socket;
    private final AtomicInteger queries = new AtomicInteger();

    FakeUpstream() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        Thread t = new Thread(this::serve, "fake-upstream-dns");
        t.setDaemon(true);
        t.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    int queries() {
        return queries.get();
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                queries.incrementAndGet();
                Message q = new Message(Arrays.copyOf(p.getData(), p.getLength()));
                Message r = new Message(q.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.getHeader().setFlag(Flags.RA);
                r.addRecord(q.getQuestion(), Section.QUESTION);
                r.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300,
                        InetAddress.getByName(ANSWER)), Section.ANSWER);
                byte[] out = r.toWire();
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}

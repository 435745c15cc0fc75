package io.kube4j.apiserver.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for the kubelet's streaming endpoints on a loopback port: records each request head, then answers
 * as {@link #answer} says: a 101 followed by an echo of every byte, or a refusal.
 */
final class FakeKubelet implements AutoCloseable {

    /** What to send back for a request head: the response head and, after it, whether to echo. */
    record Answer(String head, boolean echo, byte[] greeting) {
        static Answer switching(String... headers) {
            StringBuilder head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            return new Answer(head.append("\r\n").toString(), true, new byte[0]);
        }

        static Answer refusing(int status, String text) {
            return plain(status, "text/plain", text);
        }

        static Answer plain(int status, String contentType, String text) {
            return new Answer("HTTP/1.1 " + status + " Whatever\r\nContent-Type: " + contentType
                    + "\r\nConnection: close\r\nContent-Length: " + text.getBytes(StandardCharsets.UTF_8).length
                    + "\r\n\r\n" + text, false, new byte[0]);
        }

        Answer thenSend(byte[] bytes) {
            return new Answer(head, echo, bytes);
        }
    }

    final List<String> heads = new CopyOnWriteArrayList<>();
    /** How many connections the fake is serving right now. */
    final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
    volatile Function<String, Answer> answer = head -> Answer.switching("Upgrade: SPDY/3.1", "Connection: Upgrade");
    private final ServerSocket server;
    private final Thread acceptor;

    FakeKubelet() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "fake-kubelet");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "fake-kubelet-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        open.incrementAndGet();
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String head = readHead(in);
            heads.add(head);
            Answer a = answer.apply(head);
            out.write(a.head().getBytes(StandardCharsets.ISO_8859_1));
            out.write(a.greeting());
            out.flush();
            if (a.echo()) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the proxy closed
        } finally {
            open.decrementAndGet();
        }
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head");
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') && (matched % 2 == 0) == (b == '\r') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

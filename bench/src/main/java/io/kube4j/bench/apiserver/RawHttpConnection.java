package io.kube4j.bench.apiserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One kept-alive HTTP/1.1 connection that sends a request and reads its whole response on the calling thread, like a
 * load generator (wrk, h2load) does: a few microseconds of client CPU per request. The JDK HttpClient hands every
 * exchange between the caller, its selector thread and an executor; on a 2-core machine shared with the server it
 * used as much CPU per request as the server under test (114-148 us for a create or update at 50 clients).
 */
final class RawHttpConnection implements AutoCloseable {
    private final String hostHeader;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[64 * 1024];
    private boolean reusable = true;

    RawHttpConnection(String host, int port) throws IOException {
        this.hostHeader = host + ":" + port;
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** False once the server said it closes the connection, or an exchange failed half-way. */
    boolean reusable() {
        return reusable;
    }

    Api.Response exchange(String method, String path, String json) throws IOException {
        reusable = false;
        byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(hostHeader).append("\r\nAccept: application/json\r\nUser-Agent: kube4j-bench\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        if (body == null) {
            out.write(headBytes);
        } else {
            // one write, so the request leaves in one segment
            byte[] request = new byte[headBytes.length + body.length];
            System.arraycopy(headBytes, 0, request, 0, headBytes.length);
            System.arraycopy(body, 0, request, headBytes.length, body.length);
            out.write(request);
        }
        ByteArrayOutputStream received = new ByteArrayOutputStream(2048);
        HttpResponseDecoder decoder = new HttpResponseDecoder(new HttpResponseDecoder.Sink() {
            @Override
            public void head(int status) {
            }

            @Override
            public void body(byte[] b, int off, int len) {
                received.write(b, off, len);
            }

            @Override
            public void end() {
            }
        });
        boolean eof = false;
        while (!decoder.done()) {
            int n = in.read(buf);
            if (n < 0) {
                eof = true;
                if (!decoder.closed()) {
                    throw new IOException("connection closed before the response ended");
                }
                break;
            }
            decoder.feed(buf, 0, n);
        }
        reusable = !eof && !decoder.closesConnection();
        return new Api.Response(decoder.status(), received.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a connection we no longer use
        }
    }
}

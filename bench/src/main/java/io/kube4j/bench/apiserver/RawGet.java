package io.kube4j.bench.apiserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One GET read off a fresh socket without decoding the body: when the first and last bytes of the response
 * arrived and how many there were. Next to a client's full read it shows how much of that time is the server
 * and the wire, and how much is the client turning bytes into objects.
 */
final class RawGet {
    /** Times are from the request's first byte written; body bytes exclude head and chunk framing. */
    record Result(int status, long firstByteNanos, long lastByteNanos, long bodyBytes, long wireBytes) {
    }

    private RawGet() {
    }

    static Result get(String host, int port, String pathAndQuery) throws IOException {
        HttpResponseDecoder decoder = new HttpResponseDecoder(new HttpResponseDecoder.Sink() {
            @Override
            public void head(int status) {
            }

            @Override
            public void body(byte[] buf, int off, int len) {
            }

            @Override
            public void end() {
            }
        });
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[256 * 1024];
            long t0 = System.nanoTime();
            out.write(HttpResponseDecoder.get(host, port, pathAndQuery));
            out.flush();
            long first = -1;
            while (!decoder.done()) {
                int n = in.read(buf);
                if (n < 0) {
                    if (!decoder.closed()) {
                        throw new IOException("connection closed before the response ended");
                    }
                    break;
                }
                if (first < 0) {
                    first = System.nanoTime() - t0;
                }
                decoder.feed(buf, 0, n);
            }
            return new Result(decoder.status(), first, System.nanoTime() - t0, decoder.bodyBytes(),
                    decoder.wireBytes());
        }
    }
}

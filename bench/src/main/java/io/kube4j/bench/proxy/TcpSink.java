package io.kube4j.bench.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Child process in the "pod" namespace: accepts TCP connections on a port and closes each when the client does.
 * (Closing first would race the client's connect() with a reset under load.)
 */
public final class TcpSink {
    private TcpSink() {
    }

    public static void main(String[] args) throws IOException {
        ExecutorService readers = Executors.newFixedThreadPool(8);
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(Integer.parseInt(args[0])), 4096);
            System.out.println("listening");
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                readers.execute(() -> {
                    try (s) {
                        while (s.getInputStream().read() >= 0) {
                            // until the client closes (or resets)
                        }
                    } catch (IOException e) {
                        // a reset is how the probe closes
                    }
                });
            }
        }
    }
}

package io.kube4j.apiserver.admission.webhook;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One HTTPS POST of an AdmissionReview, HTTP/1.1 over a TLS socket of our own. java.net.http cannot dial one
 * address while verifying the certificate for another name, which a {@code clientConfig.service} webhook needs
 * (dial an endpoint IP, verify and send SNI for {@code name.namespace.svc}), so the request is written by hand:
 * one request per connection, Content-Length or chunked answers. The whole exchange - connect, handshake,
 * request, answer - shares one deadline, the webhook's timeoutSeconds.
 */
final class WebhookClient {

    /** Upstream reads webhook answers without a limit; a bound keeps a broken webhook from exhausting memory. */
    private static final int MAX_RESPONSE_BYTES = 16 << 20;
    private static final int MAX_LINE_BYTES = 16 << 10;

    private WebhookClient() {
    }

    /** The response body of a 200 answer; anything else is a WebhookFailure worded like Go's client errors. */
    static byte[] post(WebhookTarget target, SSLContext tls, byte[] body, long timeoutSeconds) throws WebhookFailure {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        String prefix = "Post \"" + target.url() + "\": ";
        Socket plain = new Socket();
        try (plain) {
            try {
                plain.connect(target.address(), remainingMillis(deadline));
            } catch (ConnectException e) {
                throw new WebhookFailure(prefix + "dial tcp " + hostPort(target) + ": connect: connection refused");
            }
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, target.serverName(),
                    target.address().getPort(), true);
            SSLParameters parameters = socket.getSSLParameters();
            // verifies the certificate against serverName (a DNS name or an IP SAN), as Go's ServerName does
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!isIpLiteral(target.serverName())) {
                parameters.setServerNames(List.of(new SNIHostName(target.serverName())));
            }
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(remainingMillis(deadline));
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            String head = "POST " + target.pathAndQuery() + " HTTP/1.1\r\n"
                    + "Host: " + hostHeader(target) + "\r\n"
                    + "User-Agent: kube4j-apiserver\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Accept: application/json, */*\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "Connection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return response(socket, deadline, prefix);
        } catch (SocketTimeoutException e) {
            throw new WebhookFailure(prefix + "context deadline exceeded");
        } catch (SSLException e) {
            throw new WebhookFailure(prefix + "tls: " + message(e));
        } catch (IOException | IllegalArgumentException e) {
            throw new WebhookFailure(prefix + message(e));
        }
    }

    private static byte[] response(SSLSocket socket, long deadline, String prefix) throws IOException, WebhookFailure {
        InputStream in = socket.getInputStream();
        String status = line(in, socket, deadline);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new WebhookFailure(prefix + "malformed HTTP response " + quote(status));
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new WebhookFailure(prefix + "malformed HTTP status code " + quote(parts[1]));
        }
        long contentLength = -1;
        boolean chunked = false;
        for (String header = line(in, socket, deadline); !header.isEmpty(); header = line(in, socket, deadline)) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new WebhookFailure(prefix + "bad Content-Length " + quote(value));
                }
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        byte[] body = chunked ? chunked(in, socket, deadline) : contentLength >= 0
                ? exactly(in, socket, deadline, contentLength) : untilClose(in, socket, deadline);
        if (code != 200) {
            // what client-go's rest client says when an answer is not a Status it can decode
            throw new WebhookFailure(prefix + "the server responded with the status code " + code
                    + " but did not return more information");
        }
        return body;
    }

    private static byte[] chunked(InputStream in, SSLSocket socket, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in, socket, deadline);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size " + quote(sizeLine));
            }
            if (size == 0) {
                // trailers end with an empty line
                while (!line(in, socket, deadline).isEmpty()) {
                    continue;
                }
                return body.toByteArray();
            }
            if (body.size() + size > MAX_RESPONSE_BYTES) {
                throw new IOException("response body larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            body.write(exactly(in, socket, deadline, size));
            line(in, socket, deadline);
        }
    }

    private static byte[] exactly(InputStream in, SSLSocket socket, long deadline, long length) throws IOException {
        if (length > MAX_RESPONSE_BYTES) {
            throw new IOException("response body larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
        byte[] body = new byte[(int) length];
        int read = 0;
        while (read < length) {
            socket.setSoTimeout(remainingMillis(deadline));
            int n = in.read(body, read, (int) length - read);
            if (n < 0) {
                throw new EOFException("unexpected EOF");
            }
            read += n;
        }
        return body;
    }

    private static byte[] untilClose(InputStream in, SSLSocket socket, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            socket.setSoTimeout(remainingMillis(deadline));
            int n = in.read(buffer);
            if (n < 0) {
                return body.toByteArray();
            }
            if (body.size() + n > MAX_RESPONSE_BYTES) {
                throw new IOException("response body larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            body.write(buffer, 0, n);
        }
    }

    /** One CRLF- (or LF-) terminated line without its terminator. */
    private static String line(InputStream in, SSLSocket socket, long deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            socket.setSoTimeout(remainingMillis(deadline));
            int b = in.read();
            if (b < 0) {
                throw new EOFException("unexpected EOF");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new IOException("response line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
    }

    /** The time left, at least 1 ms (0 would mean "no timeout" to a socket); past the deadline: a timeout. */
    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static String hostHeader(WebhookTarget target) {
        String name = target.serverName().contains(":") ? "[" + target.serverName() + "]" : target.serverName();
        return name + ":" + target.address().getPort();
    }

    private static String hostPort(WebhookTarget target) {
        String host = target.address().getAddress() != null ? target.address().getAddress().getHostAddress()
                : target.address().getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + target.address().getPort();
    }

    static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }
}

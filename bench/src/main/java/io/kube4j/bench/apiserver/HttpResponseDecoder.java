package io.kube4j.bench.apiserver;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 response, fed as it arrives in pieces of any size: the head is parsed, the body is handed on as
 * raw payload bytes (chunk framing removed, never copied or decoded). The bench's own readers use it where the
 * JDK HttpClient would cost more than the server being measured: a thousand streamed watches, a 16 MB list.
 */
final class HttpResponseDecoder {
    /** Where the decoded response goes. */
    interface Sink {
        /** The head was read; status is the code of the status line. */
        void head(int status);

        /** Body payload bytes {@code buf[off, off + len)}; valid only during the call. */
        void body(byte[] buf, int off, int len);

        /** The body ended as its framing says (last chunk, Content-Length reached). */
        void end();
    }

    private enum State { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER, LENGTH, UNTIL_CLOSE, DONE }

    private static final int MAX_HEAD = 64 * 1024;

    private final Sink sink;
    private State state = State.HEAD;
    private final StringBuilder line = new StringBuilder();
    private int status = -1;
    private long contentLength = -1;
    private boolean chunked;
    private boolean connectionClose;
    private boolean firstLine = true;
    private int headBytes;
    private long remaining;
    private long wireBytes;
    private long bodyBytes;

    HttpResponseDecoder(Sink sink) {
        this.sink = sink;
    }

    /** Bytes on the wire so far, head and framing included. */
    long wireBytes() {
        return wireBytes;
    }

    /** Payload bytes of the body so far. */
    long bodyBytes() {
        return bodyBytes;
    }

    /** The server said it closes the connection after this response. */
    boolean closesConnection() {
        return connectionClose;
    }

    boolean done() {
        return state == State.DONE;
    }

    int status() {
        return status;
    }

    /** The connection closed: ends a body that runs until close; any other unfinished response was cut. */
    boolean closed() {
        if (state == State.UNTIL_CLOSE) {
            state = State.DONE;
            sink.end();
        }
        return state == State.DONE;
    }

    /** Decodes {@code buf[off, off + len)}; throws on a malformed head or framing. */
    void feed(byte[] buf, int off, int len) {
        wireBytes += len;
        int p = off;
        int end = off + len;
        while (p < end) {
            switch (state) {
                case HEAD -> p = head(buf, p, end);
                case CHUNK_SIZE -> p = chunkSize(buf, p, end);
                case CHUNK_DATA, LENGTH -> {
                    int n = (int) Math.min(remaining, end - p);
                    payload(buf, p, n);
                    p += n;
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == State.LENGTH) {
                            finish();
                        } else {
                            state = State.CHUNK_DATA_END;
                            line.setLength(0);
                        }
                    }
                }
                case CHUNK_DATA_END -> {
                    // the CRLF after a chunk's data
                    int b = buf[p++];
                    if (b == '\n') {
                        state = State.CHUNK_SIZE;
                    } else if (b != '\r') {
                        throw new IllegalStateException("no CRLF after a chunk");
                    }
                }
                case TRAILER -> p = trailer(buf, p, end);
                case UNTIL_CLOSE -> {
                    payload(buf, p, end - p);
                    p = end;
                }
                case DONE -> throw new IllegalStateException("bytes after the end of the response");
            }
        }
    }

    private void payload(byte[] buf, int off, int len) {
        if (len > 0) {
            bodyBytes += len;
            sink.body(buf, off, len);
        }
    }

    private int head(byte[] buf, int p, int end) {
        while (p < end) {
            char c = (char) (buf[p++] & 0xff);
            if (++headBytes > MAX_HEAD) {
                throw new IllegalStateException("response head over " + MAX_HEAD + " bytes");
            }
            if (c == '\r') {
                continue;
            }
            if (c != '\n') {
                line.append(c);
                continue;
            }
            if (firstLine) {
                statusLine(line.toString());
                firstLine = false;
            } else if (line.length() == 0) {
                startBody();
                return p;
            } else {
                header(line.toString());
            }
            line.setLength(0);
        }
        return p;
    }

    private void statusLine(String s) {
        String[] f = s.split(" ", 3);
        if (f.length < 2 || !f[0].startsWith("HTTP/1.")) {
            throw new IllegalStateException("not an HTTP/1.x status line: " + s);
        }
        status = Integer.parseInt(f[1]);
    }

    private void header(String s) {
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalStateException("malformed header: " + s);
        }
        String name = s.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = s.substring(colon + 1).trim();
        if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
            chunked = true;
        } else if (name.equals("content-length")) {
            contentLength = Long.parseLong(value);
        } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
            connectionClose = true;
        }
    }

    private void startBody() {
        sink.head(status);
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            state = State.LENGTH;
            remaining = contentLength;
            if (remaining == 0) {
                finish();
            }
        } else if (status == 204 || status == 304 || status / 100 == 1) {
            finish();
        } else {
            state = State.UNTIL_CLOSE;
        }
    }

    private int chunkSize(byte[] buf, int p, int end) {
        while (p < end) {
            char c = (char) (buf[p++] & 0xff);
            if (c != '\n') {
                line.append(c);
                continue;
            }
            String size = line.toString().trim();
            int ext = size.indexOf(';');
            if (ext >= 0) {
                size = size.substring(0, ext).trim();
            }
            line.setLength(0);
            remaining = Long.parseLong(size, 16);
            if (remaining == 0) {
                state = State.TRAILER;
            } else {
                state = State.CHUNK_DATA;
            }
            return p;
        }
        if (line.length() > 1024) {
            throw new IllegalStateException("chunk size line over 1 KiB");
        }
        return p;
    }

    private int trailer(byte[] buf, int p, int end) {
        while (p < end) {
            char c = (char) (buf[p++] & 0xff);
            if (c == '\r') {
                continue;
            }
            if (c != '\n') {
                line.append(c);
                continue;
            }
            if (line.length() == 0) {
                finish();
                return p;
            }
            line.setLength(0);
        }
        return p;
    }

    private void finish() {
        state = State.DONE;
        sink.end();
    }

    /** The request line and headers of a plain GET, as bytes to write. */
    static byte[] get(String host, int port, String pathAndQuery) {
        return ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nAccept: application/json\r\nUser-Agent: kube4j-bench\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}

package io.kube4j.apiserver.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The content codings upstream's proxy transport undoes to rewrite an HTML body and applies again afterwards: gzip,
 * and "deflate" read and written as a raw DEFLATE stream (Go's compress/flate, at its best compression), as upstream
 * does. A body in any other coding is passed on without rewriting. The encoders flush what they have been given
 * when flushed, so a streamed page still reaches the client as it comes.
 */
final class ContentCoding {

    private static final int BUFFER_BYTES = 8 * 1024;

    private ContentCoding() {
    }

    /** Whether a body in this {@code Content-Encoding} ("" for none) can be read and written again. */
    static boolean understands(String encoding) {
        return encoding.isEmpty() || encoding.equals("gzip") || encoding.equals("deflate");
    }

    static InputStream decoded(InputStream in, String encoding) throws IOException {
        return switch (encoding) {
            case "" -> in;
            case "gzip" -> new GZIPInputStream(in, BUFFER_BYTES);
            case "deflate" -> new InflaterInputStream(in, new Inflater(true), BUFFER_BYTES) {
                @Override
                public void close() throws IOException {
                    // an inflater of one's own is not ended by the stream
                    inf.end();
                    super.close();
                }
            };
            default -> throw new IllegalArgumentException("content coding " + encoding);
        };
    }

    static OutputStream encoded(OutputStream out, String encoding) throws IOException {
        return switch (encoding) {
            case "" -> out;
            case "gzip" -> new GZIPOutputStream(out, BUFFER_BYTES, true);
            case "deflate" -> new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION, true),
                    BUFFER_BYTES, true) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        // a deflater of one's own is not ended by the stream
                        def.end();
                    }
                }
            };
            default -> throw new IllegalArgumentException("content coding " + encoding);
        };
    }
}

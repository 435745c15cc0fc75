package io.kube4j.apiserver.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * gzip at upstream's level for responses: 1 (kube-apiserver's defaultGzipContentEncodingLevel since
 * kubernetes/kubernetes#112296), which costs a fraction of the CPU of the JDK's default level 6 for output within
 * about 1.1-1.3x of its size - on a large list the compression, not the list, would otherwise dominate.
 */
final class GzipLevel {

    private GzipLevel() {
    }

    /** With sync flush: {@code flush()} pushes out what was written so far (a streamed body's latest piece). */
    static GZIPOutputStream open(OutputStream out, int bufferSize) throws IOException {
        return new GZIPOutputStream(out, bufferSize, true) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }
}

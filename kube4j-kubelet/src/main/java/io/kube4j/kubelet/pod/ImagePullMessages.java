package io.kube4j.kubelet.pod;

import io.kube4j.api.protobuf.GoTime;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The messages of the kubelet's {@code Pulled} events as upstream's image manager (pkg/kubelet/images) words them:
 * {@code kubectl describe pod} shows them, and people grep for them.
 */
final class ImagePullMessages {
    private ImagePullMessages() {
    }

    /** The pull is not needed: {@code IfNotPresent} (or {@code Never}) with the image on the node. */
    static String alreadyPresent(String image) {
        return "Container image " + quote(image) + " already present on machine";
    }

    /**
     * A successful pull. Upstream prints both durations truncated to the millisecond with Go's Duration.String
     * ({@code 850ms}, {@code 1.2s}, {@code 1m3.5s}); the first is the pull itself, the second adds the time the
     * request waited to be served. The size is the runtime's (ImageStatus), an unsigned 64-bit count of bytes.
     */
    static String pulled(String image, Duration pull, Duration includingWaiting, long sizeBytes) {
        return "Successfully pulled image " + quote(image) + " in " + go(pull) + " (" + go(includingWaiting)
                + " including waiting). Image size: " + Long.toUnsignedString(sizeBytes) + " bytes.";
    }

    private static String go(Duration d) {
        return GoTime.duration(d.truncatedTo(ChronoUnit.MILLIS).toNanos());
    }

    /** Go's %q for the printable text an image reference is: quotes and backslashes escaped. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"', '\\' -> out.append('\\').append(ch);
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (ch < 0x20 || ch == 0x7f) {
                        out.append(String.format("\\x%02x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}

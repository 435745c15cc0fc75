package io.kube4j.apiserver.http;

import java.util.Locale;

/**
 * Whether a request's {@code Accept-Encoding} lets the response be gzip-compressed, read as RFC 9110 section 12.5.3
 * says: a comma-separated list of codings, each with an optional weight {@code ;q=}; codings are case-insensitive
 * and {@code x-gzip} is {@code gzip}; a weight of 0 means "not acceptable"; {@code *} stands for every coding the
 * list does not name, so an explicit {@code gzip;q=0} wins over {@code *}. No header, or an empty one, means no
 * gzip: the server compresses only on request, as upstream does.
 * <p>
 * Upstream's own check is looser (an exact {@code gzip} token only, so it ignores {@code *}, {@code GZIP} and
 * {@code gzip;q=0.5}); this reads the header as its senders mean it. Weights are read by {@link QValue}, the same
 * reading as Accept's: a malformed one weighs 0, so a header that names gzip with an unreadable weight gets an
 * uncompressed response rather than one the client may not read.
 */
final class AcceptEncoding {

    private AcceptEncoding() {
    }

    /** {@code header}: the field value, several header lines joined with commas; null when absent. */
    static boolean acceptsGzip(String header) {
        if (header == null) {
            return false;
        }
        double gzip = -1;     // highest weight given to gzip by name, -1 if it is not named
        double wildcard = -1; // highest weight given to "*", -1 if absent
        for (String element : header.split(",", -1)) {
            int semicolon = element.indexOf(';');
            String coding = (semicolon < 0 ? element : element.substring(0, semicolon)).trim()
                    .toLowerCase(Locale.ROOT);
            if (coding.isEmpty()) {
                continue; // empty list elements are allowed and mean nothing (RFC 9110 section 5.6.1)
            }
            double weight = QValue.ofElement(element);
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = Math.max(gzip, weight);
            } else if (coding.equals("*")) {
                wildcard = Math.max(wildcard, weight);
            }
        }
        return gzip >= 0 ? gzip > 0 : wildcard > 0;
    }
}

package io.kube4j.runtime.streaming;

import io.netty.handler.codec.spdy.SpdyHeadersFrame;

import java.util.Map;

/** Header lookup on SPDY frames; Go clients send lower-case names, but nothing depends on it. */
final class SpdyHeaderValues {
    private SpdyHeaderValues() {
    }

    static String get(SpdyHeadersFrame frame, String name) {
        for (Map.Entry<CharSequence, CharSequence> header : frame.headers()) {
            if (header.getKey().toString().equalsIgnoreCase(name)) {
                return header.getValue().toString();
            }
        }
        return null;
    }
}

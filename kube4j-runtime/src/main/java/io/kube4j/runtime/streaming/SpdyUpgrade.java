package io.kube4j.runtime.streaming;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdySessionHandler;
import io.netty.handler.codec.spdy.SpdyVersion;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/1.1 upgrade to SPDY/3.1 that kubectl and the kubelet use for streaming: the client lists
 * the stream protocols it speaks in X-Stream-Protocol-Version, the server picks the first it also
 * speaks, answers 101 Switching Protocols, and the connection carries SPDY frames from then on.
 */
final class SpdyUpgrade {
    static final String PROTOCOL = "SPDY/3.1";
    static final String PROTOCOL_VERSION_HEADER = "X-Stream-Protocol-Version";
    static final List<String> COMMAND_PROTOCOLS = List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");
    static final List<String> PORT_FORWARD_PROTOCOLS = List.of("portforward.k8s.io");

    interface Sessions {
        ChannelHandler handler(StreamRequest session, String protocol);
    }

    private SpdyUpgrade() {
    }

    /** Upgrades the connection and installs the session; returns an error text instead when no protocol fits. */
    static String upgrade(ChannelHandlerContext ctx, FullHttpRequest request, StreamRequest session, Sessions sessions) {
        List<String> offered = new ArrayList<>();
        for (String value : request.headers().getAll(PROTOCOL_VERSION_HEADER)) {
            for (String protocol : value.split(",")) {
                if (!protocol.isBlank()) {
                    offered.add(protocol.trim());
                }
            }
        }
        List<String> supported = session instanceof StreamRequest.PortForward ? PORT_FORWARD_PROTOCOLS : COMMAND_PROTOCOLS;
        String chosen = null;
        if (offered.isEmpty()) {
            // A client that names no protocol gets the oldest one.
            chosen = supported.get(supported.size() - 1);
        } else {
            for (String protocol : offered) {
                if (supported.contains(protocol)) {
                    chosen = protocol;
                    break;
                }
            }
            if (chosen == null) {
                return "unable to upgrade: unable to negotiate protocol: client supports " + offered + ", server supports " + supported;
            }
        }
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        response.headers().set(HttpHeaderNames.UPGRADE, PROTOCOL);
        if (!offered.isEmpty()) {
            response.headers().set(PROTOCOL_VERSION_HEADER, chosen);
        }
        ChannelPipeline pipeline = ctx.pipeline();
        // On the event loop, the response is encoded before the HTTP codec leaves the pipeline.
        ctx.writeAndFlush(response);
        pipeline.addLast(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        pipeline.addLast(new SpdySessionHandler(SpdyVersion.SPDY_3_1, true));
        pipeline.addLast(sessions.handler(session, chosen));
        pipeline.remove(ctx.handler());
        pipeline.remove(HttpObjectAggregator.class);
        pipeline.remove(HttpServerCodec.class);
        return null;
    }
}

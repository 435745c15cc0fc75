package io.kube4j.apiserver.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the rest of a TLS connection's pipeline once ALPN has picked a protocol. A client that names no protocol
 * gets HTTP/1.1, as upstream's Go server does.
 */
final class ProtocolNegotiator extends ApplicationProtocolNegotiationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolNegotiator.class);

    private final ProtocolPipelines pipelines;
    private final NegotiatedProtocols protocols;

    ProtocolNegotiator(ProtocolPipelines pipelines, NegotiatedProtocols protocols) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.pipelines = pipelines;
        this.protocols = protocols;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            pipelines.http2(ctx.pipeline());
        } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
            pipelines.http1(ctx.pipeline());
        } else {
            throw new IllegalStateException("unsupported application protocol: " + protocol);
        }
        protocols.record(protocol);
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("TLS handshake with {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}

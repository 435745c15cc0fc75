package io.kube4j.apiserver.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

import java.util.concurrent.Executor;

/**
 * The handlers behind TLS for each protocol. HTTP/2 streams are child channels whose pipelines turn frames back
 * into the HTTP objects of the HTTP/1.1 path, so that aggregation, body limit, gzip and every handler are shared.
 */
final class ProtocolPipelines {

    private static final int MAX_INITIAL_LINE = 64 * 1024;
    private static final int MAX_HEADER_SIZE = 64 * 1024;
    /** Go's http2 server, which upstream uses, advertises 250 concurrent streams per connection. */
    private static final int MAX_CONCURRENT_STREAMS = 250;
    /** Upstream's per-stream upload buffer: large request bodies flow without a window update per 64 KiB. */
    private static final int STREAM_WINDOW_BYTES = 256 * 1024;

    private final HttpHandler handler;
    private final Executor workers;
    private final int maxBodyBytes;

    ProtocolPipelines(HttpHandler handler, Executor workers, int maxBodyBytes) {
        this.handler = handler;
        this.workers = workers;
        this.maxBodyBytes = maxBodyBytes;
    }

    void http1(ChannelPipeline p) {
        p.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192));
        p.addLast("aggregate", new LimitedAggregator(maxBodyBytes));
        p.addLast("api", new HttpConnectionHandler(handler, workers, false));
    }

    void http2(ChannelPipeline p) {
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .initialWindowSize(STREAM_WINDOW_BYTES)
                .maxHeaderListSize(MAX_INITIAL_LINE + MAX_HEADER_SIZE);
        p.addLast("h2", Http2FrameCodecBuilder.forServer().initialSettings(settings).build());
        p.addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                ChannelPipeline sp = stream.pipeline();
                sp.addLast("http", new Http2StreamFrameToHttpObjectCodec(true));
                sp.addLast("aggregate", new LimitedAggregator(maxBodyBytes));
                sp.addLast("api", new HttpConnectionHandler(handler, workers, true));
            }
        }));
    }
}

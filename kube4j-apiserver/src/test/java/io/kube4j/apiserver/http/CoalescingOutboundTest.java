package io.kube4j.apiserver.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streamed-response outbound queue: an {@link EmbeddedChannel} runs event-loop tasks only when asked, so a test
 * controls exactly which messages were queued before the drain ran.
 */
class CoalescingOutboundTest {

    /** Counts flushes reaching the head of the pipeline: one per drain is the point of coalescing. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        final AtomicInteger flushes = new AtomicInteger();

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
            ctx.flush();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String drainText(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            if (message instanceof LastHttpContent) {
                out.append("<end>");
            } else if (message instanceof HttpContent content) {
                out.append(content.content().toString(StandardCharsets.UTF_8)).append('|');
            }
            io.netty.util.ReferenceCountUtil.release(message);
        }
        return out.toString();
    }

    @Test
    void messagesQueuedBeforeTheDrainGoOutAsOneChunkWithOneFlush() {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel channel = new EmbeddedChannel(counter);
        CoalescingOutbound outbound = new CoalescingOutbound(channel, 1 << 20, Http1ResponseSink::writeChunks);

        assertThat(outbound.offer(bytes("a\n"))).isTrue();
        assertThat(outbound.offer(bytes("b"), bytes("\n"))).isTrue();
        assertThat(outbound.offer(bytes("c\n"))).isTrue();
        assertThat(drainText(channel)).isEmpty();
        channel.runPendingTasks();

        assertThat(drainText(channel)).isEqualTo("a\nb\nc\n|");
        assertThat(counter.flushes.get()).isEqualTo(1);
        assertThat(outbound.unsentBytes()).isZero();

        outbound.offer(bytes("d\n"));
        channel.runPendingTasks();
        assertThat(drainText(channel)).isEqualTo("d\n|");
        assertThat(counter.flushes.get()).isEqualTo(2);
    }

    @Test
    void theEndIsWrittenAfterEveryMessageQueuedBeforeIt() {
        EmbeddedChannel channel = new EmbeddedChannel();
        CoalescingOutbound outbound = new CoalescingOutbound(channel, 1 << 20, Http1ResponseSink::writeChunks);
        outbound.offer(bytes("a\n"));
        outbound.end(ch -> ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        outbound.offer(bytes("late\n"));
        channel.runPendingTasks();

        assertThat(drainText(channel)).isEqualTo("a\nlate\n|<end>");
        outbound.offer(bytes("after the end\n"));
        channel.runPendingTasks();
        assertThat(drainText(channel)).isEmpty();
        assertThat(outbound.unsentBytes()).isZero();
    }

    @Test
    void aClientTooFarBehindIsRefusedUntilItsBacklogIsSent() {
        EmbeddedChannel channel = new EmbeddedChannel();
        CoalescingOutbound outbound = new CoalescingOutbound(channel, 10, Http1ResponseSink::writeChunks);
        assertThat(outbound.offer(bytes("0123456789"))).isTrue();
        assertThat(outbound.offer(bytes("x"))).isTrue(); // 10 unsent: not over the limit yet
        assertThat(outbound.offer(bytes("y"))).isFalse();
        channel.runPendingTasks();
        assertThat(drainText(channel)).isEqualTo("0123456789x|");
        assertThat(outbound.offer(bytes("y"))).isTrue();
    }

    @Test
    void aLargeBatchIsSplitIntoBoundedChunksInOrder() {
        EmbeddedChannel channel = new EmbeddedChannel();
        byte[] line = new byte[100 * 1024];
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] l = line.clone();
            Arrays.fill(l, (byte) ('a' + i));
            // a line in two parts, as a watch event is sent: the chunk joins them
            batch.add(new byte[][] {Arrays.copyOf(l, 1000), Arrays.copyOfRange(l, 1000, l.length)});
        }
        Http1ResponseSink.writeChunks(channel, batch);
        channel.flush();

        List<Integer> sizes = new ArrayList<>();
        StringBuilder order = new StringBuilder();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            ByteBuf content = ((HttpContent) message).content();
            sizes.add(content.readableBytes());
            for (int i = 0; i < content.readableBytes(); i += line.length) {
                order.append((char) content.getByte(content.readerIndex() + i));
            }
            content.release();
        }
        assertThat(sizes).allMatch(size -> size <= Http1ResponseSink.MAX_CHUNK_BYTES);
        assertThat(sizes).containsExactly(200 * 1024, 200 * 1024, 100 * 1024);
        assertThat(order).hasToString("abcde");
    }

    @Test
    void theBatchWriterGetsEveryQueuedMessageItselfNotACopy() {
        EmbeddedChannel channel = new EmbeddedChannel();
        List<Object> written = new ArrayList<>();
        CoalescingOutbound outbound = new CoalescingOutbound(channel, 1 << 20, (ch, batch) -> {
            written.addAll(batch);
            return ch.write(io.netty.buffer.Unpooled.EMPTY_BUFFER);
        });
        byte[] shared = bytes("{\"kind\":\"ConfigMap\"}");
        outbound.offer(bytes("{\"type\":\"ADDED\",\"object\":"), shared, bytes("}\n"));
        outbound.offer(bytes("{\"type\":\"MODIFIED\",\"object\":"), shared, bytes("}\n"));
        channel.runPendingTasks();
        SharedBytes line = new SharedBytes(bytes("{\"type\":\"ADDED\"}\n"));
        outbound.offer(line);
        channel.runPendingTasks();
        assertThat(written).hasSize(3);
        assertThat(((byte[][]) written.get(0))[1]).isSameAs(shared);
        assertThat(((byte[][]) written.get(1))[1]).isSameAs(shared);
        assertThat(written.get(2)).isSameAs(line);
    }

    /** An HTTP/1.1 connection that has answered a GET with the head of a chunked response, as a watch does. */
    private static EmbeddedChannel chunkedResponse() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec());
        channel.writeInbound(Unpooled.copiedBuffer("GET /w HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        Object request;
        while ((request = channel.readInbound()) != null) {
            ReferenceCountUtil.release(request);
        }
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        channel.writeAndFlush(head);
        return channel;
    }

    /** Everything the channel sent, as text. */
    private static String wire(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) message;
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    @Test
    void aSharedLineGoesOutInTheSameChunkAsTheLinesAroundIt() {
        SharedBytes line = new SharedBytes(bytes("{\"type\":\"ADDED\",\"object\":{}}\n"));
        List<String> bodies = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            EmbeddedChannel channel = chunkedResponse();
            assertThat(wire(channel)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n");
            CoalescingOutbound outbound = new CoalescingOutbound(channel, 1 << 20, Http1ResponseSink::writeChunks);
            outbound.offer(line);
            outbound.offer(bytes("{\"type\":\"BOOKMARK\"}\n"));
            outbound.offer(line);
            outbound.end(ch -> ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
            channel.runPendingTasks();
            bodies.add(wire(channel));
            assertThat(outbound.unsentBytes()).isZero();
        }
        String added = "{\"type\":\"ADDED\",\"object\":{}}\n";
        // one chunk of 29 + 20 + 29 = 0x4e bytes, then the last chunk
        assertThat(bodies.get(0)).isEqualTo("4e\r\n" + added + "{\"type\":\"BOOKMARK\"}\n" + added + "\r\n0\r\n\r\n");
        assertThat(bodies.get(1)).isEqualTo(bodies.get(0));
    }

    @Test
    void aSharedLineIsChunkContentForTheCodecToFrame() {
        EmbeddedChannel channel = new EmbeddedChannel();
        SharedBytes line = new SharedBytes(bytes("{\"type\":\"ADDED\"}\n"));
        CoalescingOutbound outbound = new CoalescingOutbound(channel, 1 << 20, Http1ResponseSink::writeChunks);
        outbound.offer(line);
        channel.runPendingTasks();
        assertThat(drainText(channel)).isEqualTo("{\"type\":\"ADDED\"}\n|");
    }
}

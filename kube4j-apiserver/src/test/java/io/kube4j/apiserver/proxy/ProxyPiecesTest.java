package io.kube4j.apiserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProxyPiecesTest {

    @Test
    void theWebSocketAcceptKeyIsRfc6455s() {
        assertThat(WebSocketTunnel.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void aRequestHeadKeepsRepeatedHeadersOnTheirOwnLines() {
        BackendRequest request = new BackendRequest("POST", "127.0.0.1", 10250, "/exec/ns/p/c?command=ls&output=1",
                List.of(new BackendRequest.Header("X-Stream-Protocol-Version", "v4.channel.k8s.io"),
                        new BackendRequest.Header("X-Stream-Protocol-Version", "v3.channel.k8s.io")));
        assertThat(new String(request.head(), StandardCharsets.ISO_8859_1)).isEqualTo(
                "POST /exec/ns/p/c?command=ls&output=1 HTTP/1.1\r\nHost: 127.0.0.1:10250\r\n"
                        + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nX-Stream-Protocol-Version: v3.channel.k8s.io\r\n\r\n");
    }

    @Test
    void responseHeadsParse() {
        ResponseHead head = ResponseHead.parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: SPDY/3.1\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(head.status()).isEqualTo(101);
        assertThat(head.header("upgrade")).isEqualTo("SPDY/3.1");
        assertThat(head.header("content-length")).isEqualTo("0");
        assertThatThrownBy(() -> ResponseHead.parse("SSH-2.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void afterA101TheReaderLeavesTheNewProtocolsBytesForWhatComesNext() throws Exception {
        ResponseHeadReader reader = new ResponseHeadReader((channel, head) -> { });
        EmbeddedChannel channel = new EmbeddedChannel(reader);
        // the head arrives in two pieces, the first bytes of the new protocol with the second
        channel.writeInbound(ascii("HTTP/1.1 101 Switching Protocols\r\nUpgr"));
        assertThat(reader.answer()).isNotDone();
        channel.writeInbound(ascii("ade: SPDY/3.1\r\n\r\nHELLO"));
        assertThat(reader.answer().get().head().status()).isEqualTo(101);
        assertThat((Object) channel.readInbound()).isNull();
        channel.pipeline().remove(reader);
        ByteBuf rest = channel.readInbound();
        assertThat(rest.toString(StandardCharsets.US_ASCII)).isEqualTo("HELLO");
        rest.release();
    }

    @Test
    void aRefusalIsReadWithItsBody() throws Exception {
        ResponseHeadReader reader = new ResponseHeadReader((channel, head) -> { });
        EmbeddedChannel channel = new EmbeddedChannel(reader);
        channel.writeInbound(ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot h"));
        assertThat(reader.answer()).isNotDone();
        channel.writeInbound(ascii("ere"));
        assertThat(reader.answer()).isNotDone();
        channel.writeInbound(ascii("\n"));
        ResponseHeadReader.Answer answer = reader.answer().get();
        assertThat(answer.head().status()).isEqualTo(404);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("not here\n");
        assertThat(channel.isOpen()).isFalse();
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}

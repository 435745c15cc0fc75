package io.kube4j.runtime.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;

/** Kubernetes' WebSocket channel protocol: every message starts with the number of its stream. */
final class Channels {
    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int ERROR = 3;
    static final int RESIZE = 4;
    /** v5.channel.k8s.io: [255, n] means the client closed stream n. */
    static final int CLOSE = 255;

    private Channels() {
    }

    static void send(Channel channel, int stream, byte[] data, int length) {
        ByteBuf buf = Unpooled.buffer(length + 1);
        buf.writeByte(stream);
        buf.writeBytes(data, 0, length);
        channel.writeAndFlush(new BinaryWebSocketFrame(buf));
    }
}

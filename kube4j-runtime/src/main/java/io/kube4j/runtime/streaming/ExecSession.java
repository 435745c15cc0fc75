package io.kube4j.runtime.streaming;

import io.kube4j.runtime.oci.Runc;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One exec: {@code runc exec} with its stdio bridged to the WebSocket streams, then the exit status on stream 3. */
final class ExecSession extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(ExecSession.class);

    private final Runc runc;
    private final StreamRequest.Exec request;
    private final String protocol;
    private Process process;

    ExecSession(Runc runc, StreamRequest.Exec request, String protocol) {
        this.runc = runc;
        this.request = request;
        this.protocol = protocol;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (process != null) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(runc.binary(), "--root", runc.stateDir().toString(), "exec"));
        if (request.tty()) {
            // runc relays between our pipes and a pty it allocates in the container.
            command.add("-t");
        }
        command.add(request.containerId());
        command.addAll(request.cmd());
        Channel channel = ctx.channel();
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            finish(channel, -1, "cannot start exec: " + e.getMessage());
            return;
        }
        if (!request.stdin()) {
            closeQuietly(process.getOutputStream());
        }
        Thread out = pump(process.getInputStream(), channel, Channels.STDOUT);
        Thread err = pump(process.getErrorStream(), channel, Channels.STDERR);
        Thread waiter = new Thread(() -> {
            try {
                int code = process.waitFor();
                out.join();
                err.join();
                finish(channel, code, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "exec-wait");
        waiter.setDaemon(true);
        waiter.start();
    }

    private static Thread pump(InputStream in, Channel channel, int stream) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (n > 0) {
                        Channels.send(channel, stream, buffer, n);
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "exec-pump-" + stream);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void finish(Channel channel, int exitCode, String error) {
        String status;
        if (error != null) {
            status = "{\"metadata\":{},\"status\":\"Failure\",\"message\":" + quote(error) + ",\"reason\":\"InternalError\"}";
        } else if (exitCode == 0) {
            status = "{\"metadata\":{},\"status\":\"Success\"}";
        } else {
            status = "{\"metadata\":{},\"status\":\"Failure\",\"message\":" + quote("command terminated with non-zero exit code: exit code " + exitCode)
                    + ",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"" + exitCode + "\"}]}}";
        }
        // The original channel.k8s.io protocol carries a plain error text, and nothing on success.
        if (protocol.equals("channel.k8s.io")) {
            status = exitCode == 0 && error == null ? null : (error != null ? error : "command terminated with exit code " + exitCode);
        }
        if (status != null) {
            byte[] bytes = status.getBytes(StandardCharsets.UTF_8);
            Channels.send(channel, Channels.ERROR, bytes, bytes.length);
        }
        channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) throws IOException {
        if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.close();
        } else if (frame instanceof BinaryWebSocketFrame && process != null) {
            ByteBuf content = frame.content();
            if (!content.isReadable()) {
                return;
            }
            int stream = content.readUnsignedByte();
            if (stream == Channels.STDIN && request.stdin()) {
                byte[] data = new byte[content.readableBytes()];
                content.readBytes(data);
                OutputStream stdin = process.getOutputStream();
                stdin.write(data);
                stdin.flush();
            } else if (stream == Channels.CLOSE && content.isReadable() && content.readUnsignedByte() == Channels.STDIN) {
                closeQuietly(process.getOutputStream());
            }
            // Stream 4 (resize) is ignored: runc exec -t over pipes cannot resize its pty.
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (process != null && process.isAlive()) {
            closeQuietly(process.getOutputStream());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("exec session for {} failed: {}", request.containerId(), cause.getMessage());
        ctx.close();
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}

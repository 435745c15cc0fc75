package io.kube4j.apiserver.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;

/**
 * Bytes that many streams send unchanged (one watch event's line, sent to every watcher of it), encoded once. An
 * HTTP stream copies them into its batch of chunks (cheaper per line than a write of its own); a WebSocket stream,
 * which writes a frame per message anyway, sends a view of one native copy built on first use, so that no stream
 * copies or encodes the line again.
 * <p>
 * That native copy is never released by reference count (a view's release is a no-op): it lives as long as this
 * object or a view still being written, and the garbage collector frees its memory after that. So a stream that
 * is cut or a buffer a channel drops can never free bytes another stream is still sending.
 */
public final class SharedBytes {

    private final byte[] bytes;
    private volatile ByteBuf raw;

    /** {@code bytes} must not change afterwards. */
    public SharedBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The bytes themselves (shared: never modify them). */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    /** A view of the bytes in native memory, for this stream alone to send (its indexes are its own). */
    ByteBuf rawView() {
        ByteBuf buf = raw;
        if (buf == null) {
            // two threads may both build it; either copy is right and the loser's is collected
            buf = shared(bytes.length);
            raw = buf;
        }
        return buf.duplicate();
    }

    /** The bytes in a GC-freed, unreleasable direct buffer. */
    private ByteBuf shared(int capacity) {
        ByteBuffer direct = ByteBuffer.allocateDirect(capacity);
        direct.put(bytes);
        direct.flip();
        // wrapping a JDK direct buffer: Netty does not free its memory on release, the JDK's cleaner does on GC. The
        // wrapper's capacity is its maximum and it is full, so no handler can append to it
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
    }
}

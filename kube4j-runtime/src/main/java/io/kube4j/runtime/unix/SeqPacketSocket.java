package io.kube4j.runtime.unix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A connected AF_UNIX SOCK_SEQPACKET socket (conmon's attach socket). Neither the JDK nor Netty opens
 * this socket type, so the few libc calls are made through JNA. Each {@link #receive} returns one
 * whole packet. Reads block: give each socket its own reader thread, and {@link #close} from another.
 */
public final class SeqPacketSocket implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int O_PATH = 0x200000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int SHUT_WR = 1;
    private static final int SHUT_RDWR = 2;
    private static final int EINTR = 4;
    /** sun_path is 108 bytes: longer paths are reached through /proc/self/fd of their directory. */
    private static final int SUN_PATH_MAX = 107;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private static native int socket(int domain, int type, int protocol) throws LastErrorException;

    private static native int connect(int fd, byte[] address, int length) throws LastErrorException;

    private static native int open(String path, int flags) throws LastErrorException;

    private static native long read(int fd, byte[] buffer, long count) throws LastErrorException;

    private static native long write(int fd, byte[] buffer, long count) throws LastErrorException;

    private static native int shutdown(int fd, int how) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private final int fd;
    private volatile boolean closed;

    private SeqPacketSocket(int fd) {
        this.fd = fd;
    }

    /** Connects to the socket at the path, however long the path is. */
    public static SeqPacketSocket connect(Path path) throws IOException {
        int fd;
        try {
            fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("cannot create a seqpacket socket: " + e.getMessage(), e);
        }
        int dirFd = -1;
        try {
            String target = path.toString();
            if (target.getBytes(StandardCharsets.UTF_8).length > SUN_PATH_MAX) {
                dirFd = open(path.getParent().toString(), O_PATH | O_CLOEXEC);
                target = "/proc/self/fd/" + dirFd + "/" + path.getFileName();
            }
            byte[] address = new byte[110];
            address[0] = AF_UNIX; // sa_family_t, little endian
            byte[] name = target.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(name, 0, address, 2, name.length);
            connect(fd, address, address.length);
            return new SeqPacketSocket(fd);
        } catch (LastErrorException e) {
            closeQuietly(fd);
            throw new IOException("cannot connect to " + path + ": " + e.getMessage(), e);
        } finally {
            if (dirFd >= 0) {
                closeQuietly(dirFd);
            }
        }
    }

    /** One packet, or null at the end of the stream (the peer closed, or this socket was closed). */
    public byte[] receive(int maxSize) throws IOException {
        byte[] buffer = new byte[maxSize];
        while (true) {
            try {
                long n = read(fd, buffer, buffer.length);
                return n <= 0 ? null : Arrays.copyOf(buffer, (int) n);
            } catch (LastErrorException e) {
                if (closed) {
                    return null;
                }
                if (e.getErrorCode() != EINTR) {
                    throw new IOException("attach socket read failed: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Sends the bytes as one packet. */
    public void send(byte[] data, int offset, int length) throws IOException {
        byte[] packet = offset == 0 && length == data.length ? data : Arrays.copyOfRange(data, offset, offset + length);
        try {
            long n = write(fd, packet, packet.length);
            if (n != packet.length) {
                throw new IOException("short write on attach socket: " + n + " of " + packet.length);
            }
        } catch (LastErrorException e) {
            throw new IOException("attach socket write failed: " + e.getMessage(), e);
        }
    }

    /** Tells the peer no more data comes (conmon then closes the container's stdin, unless told to leave it open). */
    public void shutdownOutput() {
        try {
            shutdown(fd, SHUT_WR);
        } catch (LastErrorException ignored) {
            // already shut or closed
        }
    }

    /** Wakes a blocked reader and releases the descriptor. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            shutdown(fd, SHUT_RDWR);
        } catch (LastErrorException ignored) {
            // the peer is gone already
        }
        closeQuietly(fd);
    }

    private static void closeQuietly(int fd) {
        try {
            close(fd);
        } catch (LastErrorException ignored) {
            // nothing to do
        }
    }
}

package io.kube4j.runtime.unix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A pseudo-terminal pair: the runtime keeps the master, a child process gets the slave as its
 * stdio. The JDK has no pty API, so the few libc calls go through JNA. Reads block: give the master
 * its own reader thread.
 */
public final class Pty implements AutoCloseable {
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0x100;
    private static final int O_CLOEXEC = 0x80000;
    private static final long TIOCSWINSZ = 0x5414;
    private static final int EINTR = 4;
    private static final int EIO = 5;
    /** sizeof(struct termios) with glibc on x86_64, with room to spare. */
    private static final int TERMIOS_SIZE = 128;
    private static final int TCSANOW = 0;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private static native int posix_openpt(int flags) throws LastErrorException;

    private static native int grantpt(int fd) throws LastErrorException;

    private static native int unlockpt(int fd) throws LastErrorException;

    private static native int ptsname_r(int fd, byte[] buffer, long length) throws LastErrorException;

    private static native int ioctl(int fd, long request, short[] winsize) throws LastErrorException;

    private static native long read(int fd, byte[] buffer, long count) throws LastErrorException;

    private static native long write(int fd, byte[] buffer, long count) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private static native int tcgetattr(int fd, byte[] termios) throws LastErrorException;

    private static native int tcsetattr(int fd, int when, byte[] termios) throws LastErrorException;

    private static native void cfmakeraw(byte[] termios);

    private final int master;
    private final Path slave;
    private volatile boolean closed;

    private Pty(int master, Path slave) {
        this.master = master;
        this.slave = slave;
    }

    public static Pty open() throws IOException {
        int master;
        try {
            master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot open a pseudo-terminal: " + e.getMessage(), e);
        }
        try {
            grantpt(master);
            unlockpt(master);
            // Raw from the start: input typed before the child takes the terminal is neither echoed nor edited.
            byte[] termios = new byte[TERMIOS_SIZE];
            tcgetattr(master, termios);
            cfmakeraw(termios);
            tcsetattr(master, TCSANOW, termios);
            byte[] name = new byte[128];
            ptsname_r(master, name, name.length);
            int end = 0;
            while (end < name.length && name[end] != 0) {
                end++;
            }
            return new Pty(master, Path.of(new String(name, 0, end, StandardCharsets.US_ASCII)));
        } catch (LastErrorException e) {
            close(master);
            throw new IOException("cannot set up a pseudo-terminal: " + e.getMessage(), e);
        }
    }

    /** The slave device (/dev/pts/N), for the child's stdin, stdout and stderr. */
    public Path slave() {
        return slave;
    }

    /** What the terminal printed, or null once every process holding the slave is gone. */
    public byte[] read(int maxSize) throws IOException {
        byte[] buffer = new byte[maxSize];
        while (true) {
            try {
                long n = read(master, buffer, buffer.length);
                return n <= 0 ? null : Arrays.copyOf(buffer, (int) n);
            } catch (LastErrorException e) {
                // EIO: the last slave descriptor was closed.
                if (closed || e.getErrorCode() == EIO) {
                    return null;
                }
                if (e.getErrorCode() != EINTR) {
                    throw new IOException("terminal read failed: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Types the bytes into the terminal. */
    public void write(byte[] data) throws IOException {
        int offset = 0;
        while (offset < data.length) {
            byte[] chunk = offset == 0 ? data : Arrays.copyOfRange(data, offset, data.length);
            try {
                offset += (int) write(master, chunk, chunk.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new IOException("terminal write failed: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Sets the window size; the kernel tells the terminal's foreground process group (SIGWINCH). */
    public void resize(int width, int height) throws IOException {
        try {
            ioctl(master, TIOCSWINSZ, new short[]{(short) height, (short) width, 0, 0});
        } catch (LastErrorException e) {
            throw new IOException("terminal resize failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                close(master);
            } catch (LastErrorException ignored) {
                // already gone
            }
        }
    }
}

package io.kube4j.runtime.unix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Creates a pod's namespaces from inside the runtime instead of spawning unshare, sh, hostname and
 * ip (four programs, several milliseconds each on a loaded machine). unshare(2) of the network, UTS
 * and IPC namespaces is allowed per thread, so a short-lived thread of its own enters them, pins
 * them with bind mounts, sets the hostname and brings loopback up, then ends: no other thread of
 * the JVM ever sees them.
 */
public final class PodNamespaceCalls {
    private static final int CLONE_NEWIPC = 0x08000000;
    private static final int CLONE_NEWUTS = 0x04000000;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final long MS_BIND = 4096;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final short IFF_UP = 1;
    /** sizeof(struct ifreq) on x86_64: a 16-byte name, then a union whose first field is the short flags. */
    private static final int IFREQ_SIZE = 40;
    private static final int IFNAMSIZ = 16;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private static native int unshare(int flags) throws LastErrorException;

    private static native int mount(String source, String target, String fstype, long flags, String data) throws LastErrorException;

    private static native int sethostname(byte[] name, long length) throws LastErrorException;

    private static native int socket(int domain, int type, int protocol) throws LastErrorException;

    private static native int ioctl(int fd, long request, byte[] ifreq) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private PodNamespaceCalls() {
    }

    /**
     * New IPC namespace pinned at ipc and, unless net is null, new network and UTS namespaces pinned
     * at net and uts, with the given hostname and loopback up. The target files must exist on a
     * private mount.
     */
    public static void create(Path ipc, Path net, Path uts, String hostname) throws IOException {
        IOException[] failure = new IOException[1];
        Thread thread = new Thread(() -> {
            try {
                enterAndPin(ipc, net, uts, hostname);
            } catch (IOException e) {
                failure[0] = e;
            } catch (LastErrorException e) {
                failure[0] = new IOException(e.getMessage(), e);
            }
        }, "pod-namespaces");
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating pod namespaces", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** Runs on a thread that ends right after: the namespaces it enters are never left. */
    private static void enterAndPin(Path ipc, Path net, Path uts, String hostname) throws IOException {
        boolean ownNetwork = net != null;
        int flags = CLONE_NEWIPC | (ownNetwork ? CLONE_NEWNET | CLONE_NEWUTS : 0);
        call("unshare", () -> unshare(flags));
        call("pin " + ipc, () -> mount("/proc/thread-self/ns/ipc", ipc.toString(), null, MS_BIND, null));
        if (!ownNetwork) {
            return;
        }
        call("pin " + net, () -> mount("/proc/thread-self/ns/net", net.toString(), null, MS_BIND, null));
        call("pin " + uts, () -> mount("/proc/thread-self/ns/uts", uts.toString(), null, MS_BIND, null));
        // No hostname asked for: the new UTS namespace keeps the node's, as SandboxFiles writes it.
        if (!hostname.isEmpty()) {
            byte[] name = hostname.getBytes(StandardCharsets.UTF_8);
            call("set hostname \"" + hostname + "\"", () -> sethostname(name, name.length));
        }
        loopbackUp();
    }

    private static void loopbackUp() throws IOException {
        int fd = call("open a socket", () -> socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        try {
            byte[] ifreq = new byte[IFREQ_SIZE];
            byte[] lo = "lo".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(lo, 0, ifreq, 0, lo.length);
            call("read loopback flags", () -> ioctl(fd, SIOCGIFFLAGS, ifreq));
            // The flags are a native-endian (little-endian on x86_64 and arm64) short after the name.
            ifreq[IFNAMSIZ] |= IFF_UP;
            call("bring loopback up", () -> ioctl(fd, SIOCSIFFLAGS, ifreq));
        } finally {
            close(fd);
        }
    }

    private interface Call {
        int run() throws LastErrorException;
    }

    private static int call(String what, Call call) throws IOException {
        try {
            return call.run();
        } catch (LastErrorException e) {
            throw new IOException("cannot " + what + ": errno " + e.getErrorCode(), e);
        }
    }
}

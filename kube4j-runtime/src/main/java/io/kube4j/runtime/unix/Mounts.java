package io.kube4j.runtime.unix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.io.IOException;
import java.nio.file.Path;

/**
 * mount(2) and umount2(2) called directly: spawning mount(8) costs several milliseconds per call on
 * a loaded machine, and the overlay root filesystem is mounted once per container start.
 */
public final class Mounts {
    private static final int MNT_DETACH = 2;
    private static final int EINVAL = 22;
    private static final int ENOENT = 2;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private static native int mount(String source, String target, String fstype, long flags, String data) throws LastErrorException;

    private static native int umount2(String target, int flags) throws LastErrorException;

    private Mounts() {
    }

    /** Mounts an overlay filesystem with the given option string at target. */
    public static void mountOverlay(String options, Path target) throws IOException {
        try {
            mount("overlay", target.toString(), "overlay", 0, options);
        } catch (LastErrorException e) {
            throw new IOException("cannot mount overlay at " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Unmounts target; false when it was not a mount point. A busy mount is detached instead, as
     * {@code umount -l} would do.
     */
    public static boolean unmount(Path target) throws IOException {
        try {
            umount2(target.toString(), 0);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EINVAL || e.getErrorCode() == ENOENT) {
                return false;
            }
        }
        try {
            umount2(target.toString(), MNT_DETACH);
            return true;
        } catch (LastErrorException e) {
            throw new IOException("cannot unmount " + target + " (errno " + e.getErrorCode() + ")", e);
        }
    }
}

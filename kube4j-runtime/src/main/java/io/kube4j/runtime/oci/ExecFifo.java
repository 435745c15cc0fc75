package io.kube4j.runtime.oci;

import io.kube4j.runtime.util.IdlePools;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * runc's start handshake: a created container's init blocks opening its exec FIFO for writing; the
 * reader gets one byte, then the init execs the container's process. This is runc's protocol
 * (libcontainer's exec()), done in-process.
 */
final class ExecFifo {
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    // Opening a FIFO blocks until its writer shows up: never on the gRPC thread without a watch.
    private static final ExecutorService OPENERS = IdlePools.named("exec-fifo");

    private ExecFifo() {
    }

    static void release(Path fifo, long initPid) {
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> readAll(fifo), OPENERS);
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (true) {
            try {
                int bytes = read.get(100, TimeUnit.MILLISECONDS);
                if (bytes <= 0) {
                    throw new IllegalStateException("cannot start an already running container");
                }
                Files.deleteIfExists(fifo);
                return;
            } catch (TimeoutException e) {
                boolean initGone = !initAlive(initPid);
                if (initGone || System.nanoTime() > deadline) {
                    unblock(fifo);
                    read.join();
                    throw new IllegalStateException(initGone ? "container process is already dead"
                            : "container did not start within 60s");
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw new IllegalStateException("cannot start container: " + cause.getMessage(), cause);
            } catch (InterruptedException e) {
                unblock(fifo);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting a container", e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static int readAll(Path fifo) {
        // Not readAllBytes: FileInputStream's asks for the file's position, which a FIFO does not have.
        try (InputStream in = new FileInputStream(fifo.toFile())) {
            byte[] buffer = new byte[16];
            int total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens the FIFO as a writer and closes it at once, so that a reader stuck in open() sees end of
     * file. Read-write, because on Linux that open never blocks, even when there is no reader left.
     */
    private static void unblock(Path fifo) {
        try (RandomAccessFile ignored = new RandomAccessFile(fifo.toFile(), "rw")) {
            // nothing to write
        } catch (IOException ignored) {
            // the FIFO is gone: nobody is blocked on it
        }
    }

    private static boolean initAlive(long pid) {
        try {
            // A zombie init has exited: a state of Z (or X) in /proc/PID/stat, after the command name.
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}

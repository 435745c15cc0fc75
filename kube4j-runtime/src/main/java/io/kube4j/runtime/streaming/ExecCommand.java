package io.kube4j.runtime.streaming;

import io.kube4j.runtime.oci.Runc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/** One exec: {@code runc exec} with its stdio bridged to the client's streams, then its exit status. */
final class ExecCommand implements RemoteCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ExecCommand.class);

    private final Runc runc;
    private final StreamRequest.Exec request;
    private volatile Process process;

    ExecCommand(Runc runc, StreamRequest.Exec request) {
        this.runc = runc;
        this.request = request;
    }

    @Override
    public void start(CommandOutput output) {
        List<String> command = new ArrayList<>(List.of(runc.binary(), "--root", runc.stateDir().toString(), "exec"));
        if (request.streams().tty()) {
            // runc relays between our pipes and a pty it allocates in the container.
            command.add("-t");
        }
        command.add(request.containerId());
        command.addAll(request.cmd());
        Process started;
        try {
            started = new ProcessBuilder(command).start();
        } catch (IOException e) {
            output.finish(CommandStatus.failed("cannot start exec: " + e.getMessage()));
            return;
        }
        process = started;
        if (!request.streams().stdin()) {
            closeQuietly(started.getOutputStream());
        }
        Thread out = pump(started.getInputStream(), request.streams().stdout() ? output::stdout : null, "stdout");
        Thread err = pump(started.getErrorStream(), request.streams().stderr() ? output::stderr : null, "stderr");
        Thread waiter = new Thread(() -> {
            try {
                int code = started.waitFor();
                out.join();
                err.join();
                output.finish(CommandStatus.exited(code));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "exec-wait");
        waiter.setDaemon(true);
        waiter.start();
    }

    private interface Sink {
        void write(byte[] data, int length);
    }

    /** Drains the pipe even when the client did not ask for the stream, so the process never blocks on it. */
    private static Thread pump(InputStream in, Sink sink, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (n > 0 && sink != null) {
                        sink.write(buffer, n);
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "exec-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void stdin(byte[] data) {
        Process p = process;
        if (p == null || !request.streams().stdin()) {
            return;
        }
        try {
            OutputStream stdin = p.getOutputStream();
            stdin.write(data);
            stdin.flush();
        } catch (IOException e) {
            LOG.debug("exec stdin for {} closed: {}", request.containerId(), e.getMessage());
        }
    }

    @Override
    public void closeStdin() {
        Process p = process;
        if (p != null) {
            closeQuietly(p.getOutputStream());
        }
    }

    /** Ignored: runc exec -t over pipes has no way to resize the pty it made. */
    @Override
    public void resize(int width, int height) {
    }

    @Override
    public void abort() {
        closeStdin();
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}

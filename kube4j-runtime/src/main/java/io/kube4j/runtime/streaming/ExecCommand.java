package io.kube4j.runtime.streaming;

import io.kube4j.runtime.oci.Runc;
import io.kube4j.runtime.unix.Pty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One exec: {@code runc exec} with its stdio bridged to the client's streams (over pipes, or a
 * terminal for TTY sessions), then its exit status.
 */
final class ExecCommand implements RemoteCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ExecCommand.class);

    private final Runc runc;
    private final StreamRequest.Exec request;
    private volatile Process process;
    private volatile Pty pty;

    ExecCommand(Runc runc, StreamRequest.Exec request) {
        this.runc = runc;
        this.request = request;
    }

    @Override
    public void start(CommandOutput output) {
        if (request.streams().tty()) {
            startOnTerminal(output);
            return;
        }
        List<String> command = new ArrayList<>(List.of(runc.binary(), "--root", runc.stateDir().toString(), "exec"));
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

    /**
     * runc exec -t needs a terminal of its own: it makes a pty in the container and relays between
     * it and its stdio. So runc gets the slave of a pty we hold, as its controlling terminal (setsid
     * -c), which lets a resize of our master reach it as SIGWINCH, and it resizes the container's.
     */
    private void startOnTerminal(CommandOutput output) {
        Pty opened;
        Process started;
        try {
            opened = Pty.open();
        } catch (IOException e) {
            output.finish(CommandStatus.failed(e.getMessage()));
            return;
        }
        List<String> command = new ArrayList<>(List.of("setsid", "-w", "-c",
                runc.binary(), "--root", runc.stateDir().toString(), "exec", "-t", request.containerId()));
        command.addAll(request.cmd());
        File terminal = opened.slave().toFile();
        try {
            started = new ProcessBuilder(command).redirectInput(terminal)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(terminal))
                    .redirectError(ProcessBuilder.Redirect.appendTo(terminal)).start();
        } catch (IOException e) {
            opened.close();
            output.finish(CommandStatus.failed("cannot start exec: " + e.getMessage()));
            return;
        }
        pty = opened;
        process = started;
        Thread reader = new Thread(() -> {
            try {
                byte[] chunk;
                while ((chunk = opened.read(8192)) != null) {
                    if (request.streams().stdout()) {
                        output.stdout(chunk, chunk.length);
                    }
                }
            } catch (IOException e) {
                LOG.debug("exec terminal of {} closed: {}", request.containerId(), e.getMessage());
            }
        }, "exec-tty");
        reader.setDaemon(true);
        reader.start();
        Thread waiter = new Thread(() -> {
            try {
                int code = started.waitFor();
                reader.join(5000);
                opened.close();
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
        Pty terminal = pty;
        if (terminal != null) {
            try {
                terminal.write(data);
            } catch (IOException e) {
                LOG.debug("exec terminal input for {} failed: {}", request.containerId(), e.getMessage());
            }
            return;
        }
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
        Pty terminal = pty;
        if (terminal != null) {
            // The end of input on a terminal is ^D.
            stdin(new byte[]{4});
            return;
        }
        Process p = process;
        if (p != null) {
            closeQuietly(p.getOutputStream());
        }
    }

    @Override
    public void resize(int width, int height) {
        Pty terminal = pty;
        if (terminal != null) {
            try {
                terminal.resize(width, height);
            } catch (IOException e) {
                LOG.debug("exec terminal resize for {} failed: {}", request.containerId(), e.getMessage());
            }
        }
    }

    @Override
    public void abort() {
        if (pty == null) {
            closeStdin();
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}

package io.kube4j.runtime.streaming;

import io.kube4j.runtime.oci.Runc;
import io.kube4j.runtime.unix.Pty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One exec: {@code runc exec} with its stdio bridged to the client's streams (over pipes, or a
 * terminal for TTY sessions), then its exit status; runc's own failure to start the command is
 * told as upstream's runtimes tell it ({@link RuncExecFailure}), read from runc's log.
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
        Path runcLog = runcLog(output);
        if (runcLog == null) {
            return;
        }
        List<String> command = runcExec(runcLog);
        command.add(request.containerId());
        command.addAll(request.cmd());
        Process started;
        try {
            started = new ProcessBuilder(command).start();
        } catch (IOException e) {
            deleteQuietly(runcLog);
            output.finish(CommandStatus.failed("cannot start exec: " + e.getMessage()));
            return;
        }
        process = started;
        if (!request.streams().stdin()) {
            closeQuietly(started.getOutputStream());
        }
        Thread out = pump(started.getInputStream(), request.streams().stdout() ? output::stdout : null, "stdout");
        // runc prints its own error where the command's stderr goes
        StartErrorHold errors = new StartErrorHold(request.streams().stderr() ? output::stderr : ExecCommand::drop);
        Thread err = pump(started.getErrorStream(), errors, "stderr");
        Thread waiter = new Thread(() -> {
            try {
                int code = started.waitFor();
                out.join();
                err.join();
                output.finish(exitStatus(code, runcLog, errors, "\n"));
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
        Path runcLog = runcLog(output);
        if (runcLog == null) {
            opened.close();
            return;
        }
        List<String> command = new ArrayList<>(List.of("setsid", "-w", "-c"));
        command.addAll(runcExec(runcLog));
        // as containerd's exec with a TTY: TERM=xterm over whatever the container's environment says (runc's -e
        // entries come after the container's, and the last of a name wins)
        command.addAll(List.of("-e", "TERM=xterm", "-t", request.containerId()));
        command.addAll(request.cmd());
        File terminal = opened.slave().toFile();
        try {
            started = new ProcessBuilder(command).redirectInput(terminal)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(terminal))
                    .redirectError(ProcessBuilder.Redirect.appendTo(terminal)).start();
        } catch (IOException e) {
            deleteQuietly(runcLog);
            opened.close();
            output.finish(CommandStatus.failed("cannot start exec: " + e.getMessage()));
            return;
        }
        pty = opened;
        process = started;
        // runc prints its own error on the terminal
        StartErrorHold terminalOutput = new StartErrorHold(request.streams().stdout() ? output::stdout : ExecCommand::drop);
        Thread reader = new Thread(() -> {
            try {
                byte[] chunk;
                while ((chunk = opened.read(8192)) != null) {
                    terminalOutput.write(chunk, chunk.length);
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
                output.finish(exitStatus(code, runcLog, terminalOutput, "\r\n"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "exec-wait");
        waiter.setDaemon(true);
        waiter.start();
    }

    interface Sink {
        void write(byte[] data, int length);
    }

    /** A new file for runc's log; null when there is none, and the exec ended with the reason. */
    private static Path runcLog(CommandOutput output) {
        try {
            return Files.createTempFile("runc-exec-", ".log");
        } catch (IOException e) {
            output.finish(CommandStatus.failed("cannot start exec: " + e.getMessage()));
            return null;
        }
    }

    /** {@code runc exec} with its errors logged as JSON to {@code runcLog}, where {@link RuncExecFailure} reads them. */
    private List<String> runcExec(Path runcLog) {
        return new ArrayList<>(List.of(runc.binary(), "--root", runc.stateDir().toString(),
                "--log", runcLog.toString(), "--log-format", "json", "exec"));
    }

    /**
     * The exec's status once runc exited: the command's exit code, or runc's failure to start it, whose words go
     * where runc had printed its own line (held back in {@code held}), ended by the stream's {@code newline}.
     */
    private static CommandStatus exitStatus(int code, Path runcLog, StartErrorHold held, String newline) {
        Optional<RuncExecFailure> failure = RuncExecFailure.read(runcLog, code);
        deleteQuietly(runcLog);
        if (failure.isEmpty()) {
            held.release();
            return CommandStatus.exited(code);
        }
        held.discard();
        byte[] line = (failure.get().text() + newline).getBytes(StandardCharsets.UTF_8);
        held.write(line, line.length);
        return CommandStatus.exited(failure.get().exitCode());
    }

    private static void drop(byte[] data, int length) {
        // the client did not ask for this stream
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", file, e.getMessage());
        }
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

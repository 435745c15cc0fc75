package io.kube4j.runtime.streaming;

import io.kube4j.runtime.oci.Conmon;
import io.kube4j.runtime.unix.SeqPacketSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * One attach: a connection to the container monitor's attach socket. conmon sends every chunk of
 * the container's output as a packet whose first byte names the pipe (2 stdout, 3 stderr; a TTY
 * is all stdout), and writes what it receives to the container's stdin. Resizes go through its
 * control FIFO. The session ends when the container exits (conmon closes the socket).
 */
final class AttachCommand implements RemoteCommand {
    private static final Logger LOG = LoggerFactory.getLogger(AttachCommand.class);
    private static final int STDOUT_PIPE = 2;
    private static final int STDERR_PIPE = 3;
    /** conmon reads at most its buffer size per packet; larger writes would be cut. */
    private static final int MAX_STDIN_PACKET = 8192;

    private final StreamRequest.Attach request;
    private volatile SeqPacketSocket socket;
    private volatile boolean aborted;

    AttachCommand(StreamRequest.Attach request) {
        this.request = request;
    }

    @Override
    public void start(CommandOutput output) {
        SeqPacketSocket connected;
        try {
            connected = SeqPacketSocket.connect(Conmon.attachSocket(request.bundle()));
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.warn("cannot attach to container {}: {}", request.containerId(), e.toString());
            output.finish(CommandStatus.failed("cannot attach to container " + request.containerId() + ": " + e.getMessage()));
            return;
        }
        socket = connected;
        Thread reader = new Thread(() -> relay(connected, output), "attach-" + request.containerId().substring(0, 12));
        reader.setDaemon(true);
        reader.start();
    }

    private void relay(SeqPacketSocket connected, CommandOutput output) {
        CommandStatus status = CommandStatus.success();
        try {
            byte[] packet;
            while ((packet = connected.receive(64 * 1024)) != null) {
                if (packet.length < 2) {
                    continue;
                }
                int pipe = packet[0];
                byte[] data = new byte[packet.length - 1];
                System.arraycopy(packet, 1, data, 0, data.length);
                if (pipe == STDOUT_PIPE && request.streams().stdout()) {
                    output.stdout(data, data.length);
                } else if (pipe == STDERR_PIPE && request.streams().stderr()) {
                    output.stderr(data, data.length);
                }
            }
        } catch (IOException e) {
            if (!aborted) {
                status = CommandStatus.failed(e.getMessage());
            }
        } finally {
            connected.close();
        }
        output.finish(status);
    }

    @Override
    public void stdin(byte[] data) {
        SeqPacketSocket s = socket;
        if (s == null || !request.streams().stdin()) {
            return;
        }
        try {
            for (int offset = 0; offset < data.length; offset += MAX_STDIN_PACKET) {
                s.send(data, offset, Math.min(MAX_STDIN_PACKET, data.length - offset));
            }
        } catch (IOException e) {
            LOG.debug("attach stdin for {} failed: {}", request.containerId(), e.getMessage());
        }
    }

    @Override
    public void closeStdin() {
        SeqPacketSocket s = socket;
        if (s != null) {
            s.shutdownOutput();
        }
    }

    @Override
    public void resize(int width, int height) {
        if (!request.streams().tty()) {
            return;
        }
        try {
            Conmon.resize(request.bundle(), width, height);
        } catch (IOException e) {
            LOG.debug("resize of {} failed: {}", request.containerId(), e.getMessage());
        }
    }

    @Override
    public void abort() {
        aborted = true;
        SeqPacketSocket s = socket;
        if (s != null) {
            s.close();
        }
    }
}

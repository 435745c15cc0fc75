package io.kube4j.runtime.streaming;

import java.nio.file.Path;
import java.util.List;

/** A prepared streaming session, redeemed once through the URL handed back by Exec, Attach or PortForward. */
sealed interface StreamRequest {
    /** What the client asked to stream: the streams the transport waits for and forwards. */
    record Streams(boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    }

    /** A session that runs or joins a process: exec and attach. */
    sealed interface Command extends StreamRequest {
        String containerId();

        Streams streams();
    }

    record Exec(String containerId, List<String> cmd, Streams streams) implements Command {
    }

    /** Joins the container's own stdio through its monitor's attach socket, in the container's bundle directory. */
    record Attach(String containerId, Path bundle, Streams streams) implements Command {
    }

    record PortForward(String sandboxId, String podIp) implements StreamRequest {
    }
}

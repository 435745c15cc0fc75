package io.kube4j.runtime.streaming;

import java.util.List;

/** A prepared streaming session, redeemed once through the URL handed back by Exec or PortForward. */
sealed interface StreamRequest {
    record Exec(String containerId, List<String> cmd, boolean tty, boolean stdin) implements StreamRequest {
    }

    record PortForward(String sandboxId, String podIp) implements StreamRequest {
    }
}

package io.kube4j.runtime.streaming;

/** Where a remote command writes: the transport (WebSocket channels or SPDY streams) encodes it. Thread-safe. */
interface CommandOutput {
    void stdout(byte[] data, int length);

    void stderr(byte[] data, int length);

    /** The final status; the session ends after it. Called once. */
    void finish(CommandStatus status);
}

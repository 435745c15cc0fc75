package io.kube4j.runtime.streaming;

/**
 * One exec or attach session, independent of the transport. The transport calls {@link #start}
 * once its streams are ready, then feeds the client's input; the command reports through its
 * {@link CommandOutput} and ends with {@link CommandOutput#finish}.
 */
interface RemoteCommand {
    void start(CommandOutput output);

    void stdin(byte[] data);

    /** The client has no more input. */
    void closeStdin();

    /** The client's terminal changed size (TTY sessions). */
    void resize(int width, int height);

    /** The client went away: release everything. */
    void abort();
}

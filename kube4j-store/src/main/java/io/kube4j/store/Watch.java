package io.kube4j.store;

/** A running watch; closing it stops delivery (no onError is called for a close the caller asked for). */
public interface Watch extends AutoCloseable {
    @Override
    void close();
}

package io.kube4j.bench.runtime;

import java.nio.file.Path;

/** A CRI runtime started by the bench: where to reach it and what it weighs. */
interface RuntimeUnderTest extends AutoCloseable {
    String name();

    Path socket();

    /** The runtime daemon's process (monitors and shims are separate processes, not counted). */
    long pid();

    /** Java heap in use after a full GC, in bytes; -1 when the runtime is not a JVM. */
    long heapUsedAfterGc();

    /** A line about how the runtime was started (flags that matter for the figures). */
    String setup();

    @Override
    void close();
}

package io.kube4j.store.embedded;

import java.nio.file.Path;

/** Stored data fails its checks somewhere other than a torn tail: starting would lose acknowledged writes. */
public final class CorruptDataException extends RuntimeException {
    private final Path file;
    private final long offset;

    CorruptDataException(Path file, long offset, String reason) {
        super("corrupt data in " + file + " at byte offset " + offset + ": " + reason
                + "; refusing to start because that would lose acknowledged writes"
                + " (restore the data directory from a backup or inspect the file)");
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}

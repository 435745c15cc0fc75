package io.kube4j.store;

/**
 * Everything a store operation can refuse, one subclass per reason, so callers (the API server) can map
 * each to its Kubernetes status without parsing messages.
 */
public abstract sealed class StoreException extends RuntimeException {

    protected StoreException(String message, Throwable cause) {
        super(message, cause, false, cause != null);
    }

    /** create() of a key that exists. */
    public static final class KeyExists extends StoreException {
        private final KeyValue current;

        public KeyExists(KeyValue current) {
            super("key already exists: " + current.key(), null);
            this.current = current;
        }

        public KeyValue current() {
            return current;
        }
    }

    /** update()/delete() of a key that does not exist. */
    public static final class KeyNotFound extends StoreException {
        private final String key;

        public KeyNotFound(String key) {
            super("key not found: " + key, null);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** update()/delete() whose expected mod-revision is not the key's: carries what the key holds now. */
    public static final class Conflict extends StoreException {
        private final KeyValue current;

        public Conflict(KeyValue current, long expected) {
            super("revision conflict on " + current.key() + ": expected " + expected + ", current "
                    + current.modRevision(), null);
            this.current = current;
        }

        public KeyValue current() {
            return current;
        }
    }

    /** A read or watch at a revision older than the compacted one. */
    public static final class Compacted extends StoreException {
        private final long compactedRevision;

        public Compacted(long requested, long compactedRevision) {
            super("required revision " + requested + " has been compacted (compacted revision "
                    + compactedRevision + ")", null);
            this.compactedRevision = compactedRevision;
        }

        public long compactedRevision() {
            return compactedRevision;
        }
    }

    /** A read at a revision the store has not reached yet. */
    public static final class FutureRevision extends StoreException {
        public FutureRevision(long requested, long current) {
            super("required revision " + requested + " is a future revision (current " + current + ")", null);
        }
    }

    /** A watcher that could not keep up was cut off; it can resume from {@code lastRevision + 1}. */
    public static final class WatchTooSlow extends StoreException {
        private final long lastRevision;

        public WatchTooSlow(long lastRevision) {
            super("watcher too slow: cut off after revision " + lastRevision, null);
            this.lastRevision = lastRevision;
        }

        public long lastRevision() {
            return lastRevision;
        }
    }

    /** A lease id the store does not know (never granted, revoked, or expired). */
    public static final class LeaseNotFound extends StoreException {
        public LeaseNotFound(long id) {
            super("lease not found: " + id, null);
        }
    }

    /** The store cannot be reached or has been closed; the operation may or may not have happened. */
    public static final class Unavailable extends StoreException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A request the store cannot take as given (empty key, negative TTL, ...). */
    public static final class InvalidRequest extends StoreException {
        public InvalidRequest(String message) {
            super(message, null);
        }
    }
}

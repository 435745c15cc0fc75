package io.kube4j.store.embedded;

import java.util.List;

/** One entry of the write-ahead log: everything needed to redo a change on replay. */
sealed interface WalRecord {

    /** The store revision this record produced, or 0 for records that do not create one. */
    long revision();

    record Put(long revision, String key, byte[] value, long lease) implements WalRecord {
    }

    record Delete(long revision, String key) implements WalRecord {
    }

    record LeaseGrant(long id, long ttlSeconds) implements WalRecord {
        @Override
        public long revision() {
            return 0;
        }
    }

    /** A lease revoked or expired; its keys are deleted at {@code revision} (0 when it had none). */
    record LeaseRevoke(long revision, long id, List<String> keys) implements WalRecord {
    }

    record Compact(long revision) implements WalRecord {
    }

    /** Not written: tells the log writer to start a new segment here (a snapshot boundary). */
    record SegmentBoundary() implements WalRecord {
        @Override
        public long revision() {
            return 0;
        }
    }
}

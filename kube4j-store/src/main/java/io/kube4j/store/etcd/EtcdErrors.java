package io.kube4j.store.etcd;

import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.lease.NoSuchLeaseException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.kube4j.store.StoreException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * Turns what jetcd and gRPC throw into the SPI's exceptions. etcd reports most refusals as a status with a
 * fixed message (mvcc's ErrCompacted, ErrFutureRev, lease's ErrLeaseNotFound), so the messages are matched.
 */
final class EtcdErrors {
    private final String endpoints;
    private final LongSupplier compactedRevision;
    private final LongSupplier currentRevision;

    EtcdErrors(String endpoints, LongSupplier compactedRevision, LongSupplier currentRevision) {
        this.endpoints = endpoints;
        this.compactedRevision = compactedRevision;
        this.currentRevision = currentRevision;
    }

    String endpoints() {
        return endpoints;
    }

    /**
     * @param revision the revision the failed call asked for (for Compacted / FutureRevision)
     * @param lease    the lease the failed call named (for LeaseNotFound)
     */
    StoreException translate(Throwable failure, long revision, long lease) {
        Throwable t = unwrap(failure);
        if (t instanceof StoreException se) {
            return se;
        }
        if (t instanceof CompactedException ce) {
            return new StoreException.Compacted(revision, ce.getCompactedRevision());
        }
        if (t instanceof NoSuchLeaseException) {
            return new StoreException.LeaseNotFound(lease);
        }
        String message = String.valueOf(t.getMessage());
        if (message.contains("required revision has been compacted")) {
            return new StoreException.Compacted(revision, safely(compactedRevision));
        }
        if (message.contains("required revision is a future revision")) {
            return new StoreException.FutureRevision(revision, safely(currentRevision));
        }
        if (message.contains("requested lease not found") || message.contains("lease not found")) {
            return new StoreException.LeaseNotFound(lease);
        }
        if (message.contains("request is too large") || message.contains("key is not provided")
                || message.contains("too many operations") || message.contains("lease TTL")) {
            return new StoreException.InvalidRequest("etcd refused the request: " + message);
        }
        Status.Code code = statusCode(t);
        if (code == Status.Code.INVALID_ARGUMENT) {
            return new StoreException.InvalidRequest("etcd refused the request: " + message);
        }
        return new StoreException.Unavailable("etcd at " + endpoints + " is unavailable: " + message, t);
    }

    static boolean isCompacted(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof CompactedException
                || String.valueOf(t.getMessage()).contains("required revision has been compacted");
    }

    static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof ExecutionException || cur instanceof CompletionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    private static Status.Code statusCode(Throwable t) {
        for (Throwable cur = t; cur != null; cur = cur.getCause()) {
            if (cur instanceof StatusRuntimeException sre) {
                return sre.getStatus().getCode();
            }
            if (cur instanceof StatusException se) {
                return se.getStatus().getCode();
            }
            if (cur instanceof EtcdException ee) {
                return Status.Code.valueOf(ee.getErrorCode().name());
            }
        }
        return Status.Code.UNKNOWN;
    }

    /** A lookup made only to fill in an error's details must not hide the error itself. */
    private static long safely(LongSupplier lookup) {
        try {
            return lookup.getAsLong();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}

package io.kube4j.runtime;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kube4j.runtime.container.ContainerExistsException;
import io.kube4j.runtime.container.ContainerNotFoundException;
import io.kube4j.runtime.image.ImageNotFoundException;
import io.kube4j.runtime.image.RegistryAuthException;
import io.kube4j.runtime.sandbox.SandboxNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeoutException;

/** Runs a unary call and turns exceptions into gRPC statuses with a message a user can act on. */
final class GrpcCalls {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcCalls.class);

    interface Body<T> {
        T call() throws Exception;
    }

    private GrpcCalls() {
    }

    static <T> void unary(String method, StreamObserver<T> observer, Body<T> body) {
        T response;
        try {
            response = body.call();
        } catch (Exception e) {
            Status status = statusOf(e);
            if (status.getCode() == Status.Code.INTERNAL || status.getCode() == Status.Code.UNKNOWN) {
                LOG.warn("{} failed", method, e);
            } else {
                LOG.debug("{} rejected: {}", method, status.getDescription());
            }
            observer.onError(status.asRuntimeException());
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    static Status statusOf(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            return s.getStatus();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ImageNotFoundException || e instanceof SandboxNotFoundException || e instanceof ContainerNotFoundException) {
            return Status.NOT_FOUND.withDescription(message);
        }
        if (e instanceof RegistryAuthException) {
            return Status.UNAUTHENTICATED.withDescription(message);
        }
        if (e instanceof ContainerExistsException) {
            return Status.ALREADY_EXISTS.withDescription(message);
        }
        if (e instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(message);
        }
        if (e instanceof IllegalStateException) {
            return Status.FAILED_PRECONDITION.withDescription(message);
        }
        if (e instanceof TimeoutException) {
            return Status.DEADLINE_EXCEEDED.withDescription(message);
        }
        if (e instanceof UnsupportedOperationException) {
            return Status.UNIMPLEMENTED.withDescription(message);
        }
        return Status.INTERNAL.withDescription(message);
    }
}

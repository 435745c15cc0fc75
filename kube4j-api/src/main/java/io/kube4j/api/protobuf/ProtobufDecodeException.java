package io.kube4j.api.protobuf;

/**
 * A request body that is not a valid Kubernetes protobuf object: bad magic, a kind with no known schema, or
 * malformed message bytes. The API server answers it with 400 Bad Request.
 */
public final class ProtobufDecodeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ProtobufDecodeException(String message) {
        super(message);
    }

    public ProtobufDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}

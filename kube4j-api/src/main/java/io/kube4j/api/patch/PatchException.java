package io.kube4j.api.patch;

/**
 * A patch that cannot be applied. {@link #statusCode()} is the HTTP status upstream answers with: 400 for a patch
 * that is malformed, 422 for a well-formed patch that does not apply to the object, 415 for a patch type the kind
 * does not support (strategic merge on custom resources).
 */
public final class PatchException extends RuntimeException {

    /** Why the patch failed; each maps to one HTTP status. */
    public enum Kind {
        /** The patch document itself is malformed (400 Bad Request). */
        MALFORMED(400),
        /** The patch is well formed but cannot be applied to this object (422 Unprocessable Entity / Invalid). */
        NOT_APPLICABLE(422),
        /** The patch type is not supported for this kind (415 Unsupported Media Type). */
        UNSUPPORTED(415);

        private final int statusCode;

        Kind(int statusCode) {
            this.statusCode = statusCode;
        }

        public int statusCode() {
            return statusCode;
        }
    }

    private final Kind kind;

    public PatchException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PatchException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status code the API server answers with. */
    public int statusCode() {
        return kind.statusCode();
    }
}

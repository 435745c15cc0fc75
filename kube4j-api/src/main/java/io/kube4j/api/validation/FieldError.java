package io.kube4j.api.validation;

import java.util.List;

/**
 * One field-level validation failure, as upstream's {@code field.Error}. The API server turns each into a
 * {@code StatusCause} with {@link Type#reason()} as reason, {@link #field()} as field and {@link #body()}
 * as message; {@link #message()} is the text of the aggregate error ({@code field: body}).
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

    /** Marker for "no bad value to print" (upstream's omitValue). */
    public static final Object OMIT = new Object() {
        @Override
        public String toString() {
            return "<omitted>";
        }
    };

    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TOO_MANY("FieldValueTooMany", "Too many"),
        NOT_FOUND("FieldValueNotFound", "Not found"),
        INTERNAL("InternalError", "Internal error");

        private final String reason;
        private final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }

        /** The upstream {@code StatusCause.reason}, e.g. {@code FieldValueRequired}. */
        public String reason() {
            return reason;
        }

        /** The upstream human text of the type, e.g. {@code Required value}. */
        public String text() {
            return text;
        }
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, "", detail);
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError(Type.INVALID, field, value, detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, "", detail);
    }

    public static FieldError duplicate(String field, Object value) {
        return new FieldError(Type.DUPLICATE, field, value, "");
    }

    public static FieldError notFound(String field, Object value) {
        return new FieldError(Type.NOT_FOUND, field, value, "");
    }

    public static FieldError notSupported(String field, Object value, List<String> valid) {
        StringBuilder d = new StringBuilder();
        if (valid != null && !valid.isEmpty()) {
            d.append("supported values: ");
            for (int i = 0; i < valid.size(); i++) {
                if (i > 0) {
                    d.append(", ");
                }
                d.append(GoFormat.quote(valid.get(i)));
            }
        }
        return new FieldError(Type.NOT_SUPPORTED, field, value, d.toString());
    }

    public static FieldError tooLong(String field, Object value, int maxLength) {
        String detail = maxLength >= 0
                ? "may not be more than " + maxLength + (maxLength == 1 ? " byte" : " bytes")
                : "value is too long";
        return new FieldError(Type.TOO_LONG, field, value, detail);
    }

    public static FieldError tooMany(String field, int actual, int max) {
        String detail = max >= 0 ? "must have at most " + max + (max == 1 ? " item" : " items") : "has too many items";
        return new FieldError(Type.TOO_MANY, field, actual < 0 ? OMIT : actual, detail);
    }

    /** The cause message without the field (upstream's {@code ErrorBody()}): e.g. {@code Invalid value: "x": detail}. */
    public String body() {
        String s;
        switch (type) {
            case REQUIRED, FORBIDDEN, TOO_LONG, INTERNAL -> s = type.text();
            default -> {
                if (badValue == OMIT) {
                    s = type.text();
                } else {
                    s = type.text() + ": " + GoFormat.value(badValue);
                }
            }
        }
        if (detail != null && !detail.isEmpty()) {
            s += ": " + detail;
        }
        return s;
    }

    /** The message upstream prints for this cause, e.g. {@code spec.containers[0].image: Required value}. */
    public String message() {
        return field + ": " + body();
    }

    @Override
    public String toString() {
        return message();
    }
}

package io.polycube.core.spi;

import static java.util.Objects.requireNonNull;

/**
 * A cube refused or failed a change. {@link Kind} tells the northbound how to report it
 * (RESTCONF maps it to an HTTP status and an RFC 8040 error-tag).
 */
public class CubeException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The request is well-formed but its values are not acceptable (400, invalid-value). */
        INVALID_VALUE,
        /** The request conflicts with the current state (409, data-exists / resource-denied). */
        CONFLICT,
        /** The kernel or the platform failed (500, operation-failed). */
        OPERATION_FAILED
    }

    private final Kind kind;

    public CubeException(Kind kind, String message) {
        super(requireNonNull(message));
        this.kind = requireNonNull(kind);
    }

    public CubeException(Kind kind, String message, Throwable cause) {
        super(requireNonNull(message), cause);
        this.kind = requireNonNull(kind);
    }

    public Kind kind() {
        return kind;
    }

    public static CubeException invalid(String message) {
        return new CubeException(Kind.INVALID_VALUE, message);
    }
}

package io.polycube.core.restconf;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A request failed; carries everything an RFC 8040 error report needs. The message is meant for the
 * client: it never holds a stack trace or a Java class name.
 */
public final class RestconfException extends Exception {
    private static final long serialVersionUID = 1L;

    /** RFC 8040 §7.1 error-type. */
    public enum ErrorType { PROTOCOL, APPLICATION }

    private final int status;
    private final ErrorType errorType;
    private final String errorTag;
    private final String errorPath;
    private final String allow;

    public RestconfException(int status, ErrorType errorType, String errorTag, String errorPath, String message) {
        this(status, errorType, errorTag, errorPath, message, null);
    }

    /** A 405 carries the {@code Allow} value of the resource. */
    public RestconfException(int status, ErrorType errorType, String errorTag, String errorPath, String message,
            String allow) {
        super(requireNonNull(message));
        this.status = status;
        this.errorType = requireNonNull(errorType);
        this.errorTag = requireNonNull(errorTag);
        this.errorPath = errorPath;
        this.allow = allow;
    }

    public Optional<String> allow() {
        return Optional.ofNullable(allow);
    }

    static RestconfException badRequest(String tag, String path, String message) {
        return new RestconfException(400, ErrorType.PROTOCOL, tag, path, message);
    }

    public int status() {
        return status;
    }

    public ErrorType errorType() {
        return errorType;
    }

    public String errorTag() {
        return errorTag;
    }

    public Optional<String> errorPath() {
        return Optional.ofNullable(errorPath);
    }
}

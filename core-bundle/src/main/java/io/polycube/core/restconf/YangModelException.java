package io.polycube.core.restconf;

/** A YANG module could not be parsed or does not fit with the loaded ones; the message is the parser's. */
public final class YangModelException extends Exception {
    private static final long serialVersionUID = 1L;

    public YangModelException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.polycube.dataplane.api;

/** A libbpf or kernel operation failed; the message names the operation, the object and the errno. */
public class BpfException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public BpfException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public BpfException(String message) {
        this(message, 0);
    }

    /** Positive errno, or 0 when the failure did not come from a system call. */
    public int errno() {
        return errno;
    }
}

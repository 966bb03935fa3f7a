package io.polycube.dataplane.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.LoggerFactory;

import io.polycube.dataplane.api.BpfException;
import io.polycube.dataplane.api.BpfLink;
import io.polycube.dataplane.api.BpfProgram;
import io.polycube.dataplane.api.ProgramType;

/**
 * What every attachment shares: the device, the kind of program it accepts, the name of the program
 * it runs now, and the life cycle (replace only while open, close once and never throw).
 */
abstract class AbstractLink implements BpfLink {
    private final int ifindex;
    private final ProgramType type;
    private String program;
    private boolean closed;
    /** Where the attachment is pinned (it then outlives this process), or null. */
    private Path pin;

    AbstractLink(String program, int ifindex, ProgramType type) {
        this.program = program;
        this.ifindex = ifindex;
        this.type = type;
    }

    @Override
    public final int ifindex() {
        return ifindex;
    }

    /** The name of the program attached now. */
    final synchronized String program() {
        return program;
    }

    final synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    @Override
    public final synchronized void replace(BpfProgram newProgram) throws BpfException {
        checkOpen();
        if (newProgram.type() != type) {
            throw new IllegalArgumentException("cannot replace " + type + " program " + program + " with " + newProgram);
        }
        swap(newProgram, program + " -> " + newProgram.name() + ", ifindex " + ifindex);
        program = newProgram.name();
        if (pin != null && pinsProgram()) {
            // The pin must name the program attached now. Pinned beside it and renamed over it: at no
            // moment is there no pin (bpffs renames atomically).
            Path next = pin.resolveSibling(pin.getFileName() + "-next"); // bpffs names have no dots
            try {
                Files.deleteIfExists(next);
                pinTo(next);
                Files.move(next, pin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw Errors.of("re-pinning", this + " at " + pin + ": " + e.getMessage(), 5);
            }
        }
    }

    @Override
    public final synchronized void pin(Path path) throws BpfException {
        checkOpen();
        if (pin != null) {
            throw new IllegalStateException(this + " is already pinned at " + pin);
        }
        pinTo(path);
        pin = path;
    }

    @Override
    public final synchronized void movePin(Path path) throws BpfException {
        checkOpen();
        if (pin == null) {
            throw new IllegalStateException(this + " is not pinned");
        }
        try {
            Files.move(pin, path, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw Errors.of("moving the pin of", this + " from " + pin + " to " + path + ": " + e.getMessage(), 5);
        }
        pin = path;
    }

    /** A link taken over from a pin: closing it detaches it and removes that pin. */
    final synchronized void adoptedFrom(Path path) {
        pin = path;
    }

    @Override
    public final synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        detach(program + ", ifindex " + ifindex);
        if (pin != null) {
            try {
                Files.deleteIfExists(pin);
            } catch (IOException e) {
                LoggerFactory.getLogger(AbstractLink.class).warn("{}: could not remove its pin {}: {}", this, pin,
                    e.getMessage());
            }
        }
    }

    @Override
    public final synchronized void release() {
        if (closed) {
            return;
        }
        if (pin == null) {
            throw new IllegalStateException(this + " is not pinned: releasing it would detach it");
        }
        closed = true;
        forget();
    }

    /** The kernel call of {@link #pin}: pins the link, or for attachments that are no link, the program. */
    abstract void pinTo(Path path) throws BpfException;

    /** Whether the pin is of the program (so it follows {@link #replace}), not of a link. */
    abstract boolean pinsProgram();

    /** Closes this process's fds without detaching (the pin keeps the attachment). */
    abstract void forget();

    /** The kernel call of {@link #replace}; {@code subject} names it in errors. */
    abstract void swap(BpfProgram newProgram, String subject) throws BpfException;

    /** The kernel call of {@link #close}: logs a failure, never throws. */
    abstract void detach(String subject);

    /** A kernel call given a program fd. */
    interface FdCall {
        void run(int fd) throws BpfException;
    }

    /**
     * For links that keep their own duplicate of the attached program's fd: runs {@code kernelCall}
     * with a fresh duplicate of {@code next}'s fd; on success closes {@code ownFd} and returns the
     * duplicate (the link's fd from now on), on failure closes the duplicate and throws.
     */
    static int swapOwnedFd(BpfProgram next, int ownFd, FdCall kernelCall) throws BpfException {
        int dup = next.dupFd();
        try {
            kernelCall.run(dup);
        } catch (BpfException | RuntimeException e) {
            LibC.INSTANCE.close(dup);
            throw e;
        }
        LibC.INSTANCE.close(ownFd);
        return dup;
    }
}

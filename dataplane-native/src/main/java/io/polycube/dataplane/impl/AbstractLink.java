package io.polycube.dataplane.impl;

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
    }

    @Override
    public final synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        detach(program + ", ifindex " + ifindex);
    }

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

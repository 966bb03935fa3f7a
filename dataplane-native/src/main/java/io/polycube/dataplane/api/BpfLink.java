package io.polycube.dataplane.api;

/** A program attached to a hook; closing detaches exactly that attachment and never throws. */
public interface BpfLink extends AutoCloseable {
    /** The interface the program is attached to. */
    int ifindex();

    /**
     * Atomically puts {@code newProgram} in place of the attached one: packets already inside the
     * old program finish there, every later packet runs the new one, none is dropped for the swap.
     * Afterwards {@link #close()} detaches the new program. The link does not own the new program's
     * object: close that as usual (the attachment keeps the program alive).
     *
     * @throws BpfException if the kernel refuses (for XDP also if the attached program is no longer
     *     the one this link attached: somebody else replaced it)
     * @throws IllegalArgumentException if the program type does not fit the hook
     * @throws IllegalStateException if the link is closed
     */
    void replace(BpfProgram newProgram) throws BpfException;

    @Override
    void close();
}

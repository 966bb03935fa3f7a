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

    /**
     * Pins the attachment at {@code path} on a bpffs, so it outlives this process (a crash leaves the
     * program attached) and a later process can take it over ({@link #adoptXdp}, {@link #adoptTc}).
     * For XDP the pin is of the attached program (an XDP attachment is no bpf_link) and follows
     * {@link #replace}; for TCX it is the link itself. {@link #close()} detaches and removes the pin.
     *
     * @throws BpfException if the kernel refuses, or for a clsact (pre-TCX) attachment, which has no such pin
     */
    void pin(java.nio.file.Path path) throws BpfException;

    /**
     * Moves the pin to {@code path} on the same bpffs in one rename: the attachment never goes unpinned (a
     * crash meanwhile leaves it pinned at one of the two places). For an attachment handed to another owner.
     *
     * @throws BpfException if the rename fails (the pin stays where it was)
     * @throws IllegalStateException if the link is not pinned or is closed
     */
    void movePin(java.nio.file.Path path) throws BpfException;

    /**
     * Closes this process's handles without detaching: a pinned attachment stays in the kernel with its
     * pin, for the next process.
     *
     * @throws IllegalStateException if the link is not pinned (releasing it would detach it)
     */
    void release();

    @Override
    void close();

    /**
     * Takes over the XDP attachment pinned at {@code pin} by an earlier process, if its program is still
     * the one attached to {@code ifindex} in {@code mode}. {@link #replace} then swaps it atomically.
     *
     * @throws BpfException if there is no such pin or another program (or none) is attached now
     */
    static BpfLink adoptXdp(java.nio.file.Path pin, int ifindex, XdpMode mode) throws BpfException {
        return io.polycube.dataplane.impl.XdpLink.adopt(pin, ifindex, mode);
    }

    /**
     * Takes over the TCX link pinned at {@code pin} by an earlier process, if it is still attached to
     * {@code ifindex} in {@code direction}.
     *
     * @throws BpfException if there is no such pin or the link is no longer on that device
     */
    static BpfLink adoptTc(java.nio.file.Path pin, int ifindex, TcDirection direction) throws BpfException {
        return io.polycube.dataplane.impl.TcxLink.adopt(pin, ifindex, direction);
    }
}

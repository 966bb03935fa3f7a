package io.polycube.dataplane.api;

import io.polycube.dataplane.impl.Lifecycle;

/**
 * A PROG_ARRAY (tail-call table). The kernel empties it when its last fd and pin go away, so pin
 * it if its contents must outlive this process.
 */
public final class BpfProgArray extends BpfMap {
    BpfProgArray(Info info, Lifecycle owner) {
        super(info, owner);
    }

    /** Points slot {@code index} at {@code program}; an atomic swap for running traffic. */
    public void set(int index, BpfProgram program) throws BpfException {
        update(u32(index), u32(program.fd()));
    }

    /** Empties slot {@code index}; a tail call into it then falls through. */
    public void clear(int index) throws BpfException {
        delete(u32(index));
    }
}

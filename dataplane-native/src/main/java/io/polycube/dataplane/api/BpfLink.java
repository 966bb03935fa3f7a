package io.polycube.dataplane.api;

/** A program attached to a hook; closing detaches exactly that attachment and never throws. */
public interface BpfLink extends AutoCloseable {
    /** The interface the program is attached to. */
    int ifindex();

    @Override
    void close();
}

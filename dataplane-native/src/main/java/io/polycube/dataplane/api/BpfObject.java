package io.polycube.dataplane.api;

/** Placeholder: replaced by the real loaded-object handle. */
public final class BpfObject implements AutoCloseable {
    @Override
    public void close() {
    }
}

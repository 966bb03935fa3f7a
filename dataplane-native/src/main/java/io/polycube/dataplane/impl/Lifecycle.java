package io.polycube.dataplane.impl;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Guards a kernel handle against use-after-close: operations run under the read lock, close takes
 * the write lock, so a closing thread never pulls an fd out from under a running syscall (the fd
 * number could otherwise be reused by an unrelated open).
 */
public final class Lifecycle {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String what;
    private boolean closed;

    public Lifecycle(String what) {
        this.what = what;
    }

    /** Enters an operation; pair with {@link #exit()} in a finally block. */
    public void enter() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new IllegalStateException(what + " is closed");
        }
    }

    public void exit() {
        lock.readLock().unlock();
    }

    /** Marks closed and runs {@code action} once, exclusively; later calls do nothing. */
    public void close(Runnable action) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            action.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean isClosed() {
        lock.readLock().lock();
        try {
            return closed;
        } finally {
            lock.readLock().unlock();
        }
    }
}

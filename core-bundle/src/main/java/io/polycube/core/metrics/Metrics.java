package io.polycube.core.metrics;

import io.polycube.core.spi.CubeException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * What the daemon tells its metrics, at the places where things happen. Every method has a no-op
 * default that only runs the work, so {@link #NONE} serves unit tests and code without metrics.
 * Counters kept in the kernel (ports) are not pushed here: they are read at scrape time (see
 * {@link InstanceSample}).
 */
public interface Metrics {
    /** Metrics that record nothing. */
    Metrics NONE = new Metrics() {
    };

    /** Work that may be refused by a cube or the kernel. */
    @FunctionalInterface
    interface CubeCall<T> {
        T call() throws CubeException;
    }

    /** Runs the creation of instance {@code instance}, counting it and its duration by result. */
    default <T> T instanceCreate(String cubeType, String instance, CubeCall<T> create) throws CubeException {
        return create.call();
    }

    /** Runs the deletion of an instance, counting it and its duration; the instance's series go. */
    default void instanceDelete(String cubeType, String instance, Runnable delete) {
        delete.run();
    }

    /** Runs a µCube reload, counting it and its duration by {@link ReloadResult}. */
    default void reload(String cubeType, CubeCall<?> reload) throws CubeException {
        reload.call();
    }

    /** Wraps an instance's packet_in handler: counts each record and each handler failure. */
    default Consumer<ByteBuffer> packetIns(String cubeType, String instance, Consumer<ByteBuffer> handler) {
        return handler;
    }

    /** Counts the packet_in records of an instance its cube type's full slow-path lane dropped. */
    default Runnable slowPathDropped(String cubeType, String instance) {
        return () -> {
        };
    }

    /** One RESTCONF request, answered with {@code status} after {@code nanos}. */
    default void restconfRequest(String method, int status, long nanos) {
    }
}

package io.polycube.core.spi;

/** The control plane of one cube instance. */
public interface CubeControl extends AutoCloseable {

    /**
     * Applies the instance's whole configuration (after a validated change). Either the data path
     * reflects {@code config} when this returns, or it throws and the data path is unchanged. The
     * maps of lists bound with {@code base:map} already hold {@code config} (they are rolled back
     * if this throws).
     */
    default void configure(ConfigNode config) throws CubeException {
        // Tables bound with base:map are applied by the core before this call.
    }

    /**
     * A packet the data path sent to the slow path ({@code pcn_pkt_controller[_md]}). Called on the
     * core's one slow-path thread, shared by every instance: return quickly and hand long work to
     * an executor of your own. An exception is logged and the packet dropped. Not called before
     * the first {@link #configure} has returned, nor after {@link #close}.
     */
    default void packetIn(PacketIn packet) {
        // Cubes without a slow path drop such packets.
    }

    /**
     * A YANG 1.1 action the cube's module declares inside its top-level list, invoked by
     * {@code POST /restconf/data/pcn-<cube>:<cube>=<name>/<action>}; {@code input} holds the input leaves
     * as given. Throw {@link CubeException} to refuse (INVALID_VALUE: 400). Default: not implemented (400).
     */
    default void action(String name, ConfigNode input) throws CubeException {
        throw CubeException.invalid("action " + name + " is not implemented by this cube");
    }

    /** Releases what {@link #configure} set up; the core frees the data path afterwards. */
    @Override
    default void close() {
        // Nothing to release: the core frees the data path and its maps.
    }
}

package io.polycube.core.spi;

/** The control plane of one cube instance. */
public interface CubeControl extends AutoCloseable {

    /**
     * Applies the instance's whole configuration (after a validated change). Either the data path
     * reflects {@code config} when this returns, or it throws and the data path is unchanged.
     */
    void configure(ConfigNode config) throws CubeException;

    /** Releases what {@link #configure} set up; the core frees the data path afterwards. */
    @Override
    void close();
}

/**
 * What a cube bundle implements: a {@link io.polycube.core.spi.CubeType} published as an OSGi
 * service (whiteboard); the core creates instances of it on RESTCONF requests.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package io.polycube.core.spi;

/**
 * What polycubed offers to tools and tests inside the container: the {@link io.polycube.core.api.Polycube}
 * service (packet_out into any cube port, read-only listing of cube types and instances).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.polycube.core.api;

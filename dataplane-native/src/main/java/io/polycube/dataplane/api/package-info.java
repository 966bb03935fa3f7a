/** Typed Java API over libbpf: object specs, loaded objects, programs, maps, links. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package io.polycube.dataplane.api;
